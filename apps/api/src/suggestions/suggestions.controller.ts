import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { JobsRepository } from '../jobs/jobs.repository';
import { SuggestionsQuerySchema, type SuggestionsView } from './suggestions.schema';
import { SuggestionsService } from './suggestions.service';

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('v1/jobs')
export class SuggestionsController {
  constructor(
    @Inject(SuggestionsService) private readonly suggestions: SuggestionsService,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
  ) {}

  @Get(':id/suggestions')
  @Scopes('read')
  @ApiOperation({
    summary: 'Suggested frames to correct: tracked frames ranked by how likely their mask is wrong, at most once per object and frame, never a prompted frame',
    description:
      'JSON {jobId, round, items: [{frame, objectId, score, reasons: [{signal, value, contribution}]}]}, score descending (ties: frame, then object id). ' +
      'Signals: presenceFlip, lowIou, areaJump, centroidJump, promptDisagreement. round: the job as of that round (default its latest usable round, newest round per frame). ' +
      'Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND.',
  })
  @ApiQuery({ name: 'round', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 20' })
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<SuggestionsView> {
    const q = parseOrThrow(SuggestionsQuerySchema, query);
    const job = await this.jobs.findForTenant(auth.tenantId, id);
    if (!job) throw notFound('job', id);
    return this.suggestions.list(job, q);
  }
}
