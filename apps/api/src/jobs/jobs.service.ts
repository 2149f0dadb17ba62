import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Job, JobStatus } from '@masklet/db';
import { isCancelled, segmentJobId, signalCancel } from '@masklet/queue';
import { ApiError, badRequest, notFound } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/keyset-cursor';
import type { QueueRegistry } from '../core/queues';
import { LOGGER, QUEUES_TOKEN, REDIS } from '../core/tokens';
import type { AuthContext } from '../auth/auth-context';
import { requestHash } from './job-rows';
import { JobSubmissionService } from './job-submission.service';
import { objectStats, toJobView, type JobView } from './job.view';
import type { TracksView } from '@masklet/contract';
import { toTracksView } from './tracks.view';
import { JobsRepository } from './jobs.repository';

export const TERMINAL: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

@Injectable()
export class JobsService {
  constructor(
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(JobSubmissionService) private readonly submission: JobSubmissionService,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** `created` is false when an Idempotency-Key replay returned the existing job. */
  async create(
    auth: AuthContext,
    raw: unknown,
    idempotencyKey: string | undefined,
  ): Promise<{ job: JobView; created: boolean }> {
    let hash: string | undefined;
    if (idempotencyKey !== undefined) {
      if (!/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
        throw badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1..200 visible ASCII characters');
      hash = requestHash(raw);
      const existing = await this.jobs.findByIdempotencyKey(auth.tenantId, idempotencyKey);
      if (existing) return { job: this.replay(existing, hash, idempotencyKey), created: false };
    }
    const bodies = this.submission.parse([raw], false);
    const ctx = {
      tenantId: auth.tenantId,
      apiKeyId: auth.apiKeyId,
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(hash ? { requestSha256: hash } : {}),
    };
    const rows = await this.submission.plan(bodies, ctx, false);
    try {
      await this.submission.insertAndQueue(auth.tenantId, rows);
    } catch (err) {
      if (idempotencyKey && isUniqueViolation(err)) {
        const existing = await this.jobs.findByIdempotencyKey(auth.tenantId, idempotencyKey);
        if (existing) return { job: this.replay(existing, hash!, idempotencyKey), created: false };
      }
      throw err;
    }
    const job = await this.jobs.findForTenant(auth.tenantId, rows[0]!.job.id!);
    return { job: toJobView(job!), created: true };
  }

  async get(tenantId: string, id: string): Promise<JobView> {
    const job = await this.mustFind(tenantId, id);
    const [objects, tracks, cancelRequested, round] = await Promise.all([
      this.jobs.objects(job.id),
      this.jobs.trackChunksAsOf(job.id, job.currentRound),
      isCancelled(this.redis, job.id),
      this.jobs.round(job.id, job.currentRound),
    ]);
    return toJobView(job, { cancelRequested, objects: objectStats(objects, tracks), round });
  }

  /** Swim lanes as of the latest SUCCEEDED round (or the current one while round 1 runs). */
  async tracks(tenantId: string, id: string): Promise<TracksView> {
    const job = await this.mustFind(tenantId, id);
    const [objects, tracks, prompts] = await Promise.all([
      this.jobs.objects(job.id),
      this.jobs.trackChunksAsOf(job.id, job.currentRound),
      this.jobs.promptMarkers(job.id),
    ]);
    return toTracksView(job.currentRound, { start: job.frameStart, end: job.frameEnd }, objects, tracks, prompts);
  }

  async list(
    tenantId: string,
    q: { status?: JobStatus; batchId?: string; limit: number; cursor?: string },
  ): Promise<{ items: JobView[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.jobs.list(tenantId, { ...q, ...(after ? { after } : {}) });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((j) => toJobView(j)),
      nextCursor: rows.length === q.limit && last ? encodeCursor(last) : null,
    };
  }

  /**
   * QUEUED: removed from BullMQ and CANCELLED at once (200). RUNNING (or a queued job a worker just
   * locked): the cancel signal is sent and the worker stops and marks it CANCELLED (202).
   */
  async cancel(tenantId: string, id: string): Promise<{ job: JobView; immediate: boolean }> {
    const job = await this.mustFind(tenantId, id);
    if (TERMINAL.includes(job.status))
      throw new ApiError(409, 'JOB_ALREADY_FINISHED', `job ${id} is already ${job.status}`);
    if (job.status === 'QUEUED') {
      const entry = await this.queues.segmentFor(job.model).getJob(segmentJobId(job.id, job.currentRound));
      let removed = !entry;
      if (entry) {
        try {
          await entry.remove();
          removed = true;
        } catch (err) {
          this.log.info({ err, jobId: id }, 'queued job is locked by a worker; signalling cancel');
        }
      }
      if (removed && (await this.jobs.cancelIfQueued(job.id))) {
        await signalCancel(this.redis, job.id);
        return { job: toJobView((await this.jobs.findForTenant(tenantId, id))!), immediate: true };
      }
    }
    await signalCancel(this.redis, job.id);
    const now = (await this.jobs.findForTenant(tenantId, id))!;
    return {
      job: toJobView(now, { cancelRequested: !TERMINAL.includes(now.status) }),
      immediate: TERMINAL.includes(now.status),
    };
  }

  async mustFind(tenantId: string, id: string): Promise<Job> {
    const job = await this.jobs.findForTenant(tenantId, id);
    if (!job) throw notFound('job', id);
    return job;
  }

  private replay(existing: Job, hash: string, key: string): JobView {
    const stored = (existing.options as { requestSha256?: string } | null)?.requestSha256;
    if (stored !== hash) {
      throw new ApiError(
        409,
        'IDEMPOTENCY_KEY_REUSED',
        `Idempotency-Key "${key}" was already used for job ${existing.id} with a different body`,
      );
    }
    return toJobView(existing);
  }
}

/** Prisma's P2002, or a raw statement's Postgres 23505 (bulk inserts go through raw SQL). */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; meta?: unknown; message?: string };
  if (e.code === 'P2002') return true;
  const text = `${JSON.stringify(e.meta ?? {})} ${e.message ?? ''}`;
  return /23505|unique constraint/i.test(text);
}
