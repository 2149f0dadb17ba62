import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthService } from './auth.service';
import { SessionController } from './session.controller';
import { SessionStore } from './session-store';
import { AuditLog } from '../security/audit-log';

@Module({
  controllers: [SessionController],
  providers: [ApiKeysRepository, SessionStore, AuthService, AuditLog, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AuthService, AuditLog],
})
export class AuthModule {}
