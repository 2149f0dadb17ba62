import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthService } from './auth.service';
import { AuditLog } from '../security/audit-log';

@Module({
  providers: [ApiKeysRepository, AuthService, AuditLog, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AuthService, AuditLog],
})
export class AuthModule {}
