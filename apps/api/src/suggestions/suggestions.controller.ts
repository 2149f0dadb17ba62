import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { JobsRepository } from '../jobs/jobs.repository';
import { SuggestionsQuerySchema, type SuggestionsView } from '@masklet/contract';
import { SuggestionsService } from './suggestions.service';

@Controller('v1/jobs')
export class SuggestionsController {
  constructor(
    @Inject(SuggestionsService) private readonly suggestions: SuggestionsService,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
  ) {}

  @Get(':id/suggestions')
  @Scopes('read')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<SuggestionsView> {
    const q = parseOrThrow(SuggestionsQuerySchema, query);
    const job = await this.jobs.findForTenant(auth.tenantId, id);
    if (!job) throw notFound('job', id);
    return this.suggestions.list(job, q);
  }
}
