import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context';
import { ApiError, notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { BatchBodySchema, MAX_BATCH_JOBS, type BatchCreated, type BatchView } from '@masklet/contract';
import { JobSubmissionService } from '../jobs/job-submission.service';
import { BatchesRepository } from './batches.repository';

@Injectable()
export class BatchesService {
  constructor(
    @Inject(BatchesRepository) private readonly batches: BatchesRepository,
    @Inject(JobSubmissionService) private readonly submission: JobSubmissionService,
  ) {}

  /** All-or-nothing: every job is validated before any row is written. */
  async create(auth: AuthContext, raw: unknown): Promise<BatchCreated> {
    const jobsField = (raw as { jobs?: unknown } | null)?.jobs;
    if (Array.isArray(jobsField) && jobsField.length > MAX_BATCH_JOBS) {
      throw new ApiError(
        413,
        'BATCH_TOO_LARGE',
        `a batch holds at most ${MAX_BATCH_JOBS} jobs; got ${jobsField.length}`,
      );
    }
    const body = parseOrThrow(BatchBodySchema, raw);
    const bodies = this.submission.parse(body.jobs, true);
    const id = this.submission.newBatchId();
    const rows = await this.submission.plan(bodies, { tenantId: auth.tenantId, apiKeyId: auth.apiKeyId }, true, id);
    const inserted = await this.submission.insertAndQueue(auth.tenantId, rows, { id, name: body.name ?? null });
    return { id, name: body.name ?? null, jobCount: inserted.length, jobIds: inserted.map((j) => j.id) };
  }

  async get(tenantId: string, id: string): Promise<BatchView> {
    const b = await this.batches.findForTenant(tenantId, id);
    if (!b) throw notFound('batch', id);
    const agg = await this.batches.aggregate(b.id);
    return {
      id: b.id,
      name: b.name,
      jobCount: b.jobCount,
      counts: agg.counts,
      meanProgress: agg.meanProgress,
      createdAt: b.createdAt.toISOString(),
    };
  }
}
