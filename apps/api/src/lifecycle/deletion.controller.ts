import { Controller, Delete, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Operator } from '../security/operator';
import { DeletionService } from './deletion.service';

const CascadeQuery = z.strictObject({ cascade: z.enum(['true', 'false']).default('false') });
const DELETED = '204 when deleted; a repeated DELETE answers 404 (the entity no longer exists).';

@ApiTags('lifecycle')
@ApiBearerAuth()
@Controller('v1')
export class DeletionController {
  constructor(@Inject(DeletionService) private readonly deletion: DeletionService) {}

  @Delete('jobs/:id')
  @HttpCode(204)
  @Scopes('submit')
  @ApiOperation({
    summary: 'Delete a job: its masks, exports, checkpoints, queue entries and rows. A running job is cancelled first.',
    description: `${DELETED} Errors: 404 JOB_NOT_FOUND, 409 JOB_STOPPING (the worker has not stopped within 20 s; repeat).`,
  })
  async deleteJob(@Auth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    await this.deletion.deleteJob(auth.tenantId, id);
  }

  @Delete('videos/:id')
  @HttpCode(204)
  @Scopes('submit')
  @ApiQuery({ name: 'cascade', required: false, enum: ['true', 'false'] })
  @ApiOperation({
    summary: 'Delete a video: its source upload, frames and row; with cascade=true its jobs too',
    description: `${DELETED} Errors: 404 VIDEO_NOT_FOUND, 409 VIDEO_IN_USE (names the jobs; pass cascade=true), 409 JOB_STOPPING.`,
  })
  async deleteVideo(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<void> {
    const q = parseOrThrow(CascadeQuery, query);
    await this.deletion.deleteVideo(auth.tenantId, id, q.cascade === 'true');
  }

  @Delete('admin/tenants/:id')
  @HttpCode(204)
  @Operator()
  @ApiOperation({ summary: 'Operators: delete a tenant with every video, job, key and stored object', description: `${DELETED} Errors: 404 TENANT_NOT_FOUND.` })
  async deleteTenant(@Param('id') id: string): Promise<void> {
    await this.deletion.deleteTenant(id);
  }
}
