import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { BatchesService, type BatchView } from './batches.service';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches')
export class BatchesController {
  constructor(@Inject(BatchesService) private readonly batches: BatchesService) {}

  @Post()
  @HttpCode(201)
  @Scopes('submit')
  @ApiOperation({
    summary: 'Submit up to 10,000 jobs at once ({name?, jobs: [<job body>...]}), validated all-or-nothing',
    description: 'Errors name the index (jobs[12].objects[0].prompts[0].frame ...). 413 BATCH_TOO_LARGE past 10,000 jobs; otherwise the codes of POST /v1/jobs.',
  })
  create(@Auth() auth: AuthContext, @Body() body: unknown): Promise<{ id: string; name: string | null; jobCount: number; jobIds: string[] }> {
    return this.batches.create(auth, body);
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ summary: 'Job counts by status and mean progress of a batch. 404 BATCH_NOT_FOUND.' })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<BatchView> {
    return this.batches.get(auth.tenantId, id);
  }
}
