import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthService } from './auth.service';

@Module({
  providers: [ApiKeysRepository, AuthService, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AuthService],
})
export class AuthModule {}
