import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import type { BatchCreated, BatchView } from '@masklet/contract';
import { BatchesService } from './batches.service';

@Controller('v1/batches')
export class BatchesController {
  constructor(@Inject(BatchesService) private readonly batches: BatchesService) {}

  @Post()
  @HttpCode(201)
  @Scopes('submit')
  create(@Auth() auth: AuthContext, @Body() body: unknown): Promise<BatchCreated> {
    return this.batches.create(auth, body);
  }

  @Get(':id')
  @Scopes('read')
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<BatchView> {
    return this.batches.get(auth.tenantId, id);
  }
}
