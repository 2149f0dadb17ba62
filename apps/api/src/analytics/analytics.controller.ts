import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { TenantAnalyticsQuerySchema } from './analytics.schema';
import { AnalyticsService, type JobAnalyticsView, type TenantAnalyticsView } from './analytics.service';

const FIELDS = 'clicks (points + boxes in the round\'s prompts), previews, activeSeconds (the committing key\'s first preview since its previous commit on the job, to the commit), framesChanged (distinct prompted frames), secondsPerFrame';

@ApiTags('analytics')
@ApiBearerAuth()
@Controller('v1')
export class AnalyticsController {
  constructor(@Inject(AnalyticsService) private readonly analytics: AnalyticsService) {}

  @Get('jobs/:id/analytics')
  @Scopes('read')
  @ApiOperation({
    summary: 'Annotation effort of a job: per round, per API key and in total, and the previews not committed yet',
    description: `JSON {jobId, rounds: [{round, status, apiKeyId, createdAt, ${FIELDS}}], perKey: [{apiKeyId, keyName, rounds, clicks, previews, activeSeconds, framesChanged, secondsPerFrame}], totals, open: [{apiKeyId, firstPreviewAt, lastPreviewAt, previews}]}. Errors: 404 JOB_NOT_FOUND.`,
  })
  job(@Auth() auth: AuthContext, @Param('id') id: string): Promise<JobAnalyticsView> {
    return this.analytics.job(auth.tenantId, id);
  }

  @Get('analytics')
  @Scopes('read')
  @ApiOperation({
    summary: 'Annotation effort of the tenant, summed per API key over the rounds committed in [from, to) (default: the last 30 days)',
    description: `JSON {from, to, perKey: [{apiKeyId, keyName, rounds, ${FIELDS}}], totals}. secondsPerFrame sums only rounds with a recorded active time. Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD.`,
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601 date-time' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601 date-time' })
  tenant(@Auth() auth: AuthContext, @Query() query: unknown): Promise<TenantAnalyticsView> {
    return this.analytics.tenant(auth.tenantId, parseOrThrow(TenantAnalyticsQuerySchema, query));
  }
}
