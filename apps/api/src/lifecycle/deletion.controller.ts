import { Controller, Delete, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { z } from 'zod';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Operator } from '../security/operator';
import { DeletionService } from './deletion.service';

export const CascadeQuery = z.strictObject({ cascade: z.enum(['true', 'false']).default('false') });

@Controller('v1')
export class DeletionController {
  constructor(@Inject(DeletionService) private readonly deletion: DeletionService) {}

  @Delete('jobs/:id')
  @HttpCode(204)
  @Scopes('submit')
  async deleteJob(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.deletion.deleteJob(auth.tenantId, id);
  }

  @Delete('videos/:id')
  @HttpCode(204)
  @Scopes('submit')
  async deleteVideo(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<void> {
    const q = parseOrThrow(CascadeQuery, query);
    await this.deletion.deleteVideo(auth.tenantId, id, q.cascade === 'true');
  }

  @Delete('admin/tenants/:id')
  @HttpCode(204)
  @Operator()
  async deleteTenant(@Param('id') id: string): Promise<void> {
    await this.deletion.deleteTenant(id);
  }
}
