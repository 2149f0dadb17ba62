import { Inject, Injectable } from '@nestjs/common';
import type {
  Job,
  JobObject,
  JobStatus,
  MaskletChunk,
  ObjectTrackChunk,
  Prisma,
  PrismaClient,
  Round,
} from '@masklet/db';
import { PRISMA } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';
import { bulkInsertJobs } from './bulk-insert';
import type { JobRows } from './job-rows';

export interface InsertedJob {
  id: string;
  model: string;
  priority: number;
  /** The tenant's QUEUED jobs of the same model ahead of this one when it was inserted. */
  rank: number;
}

@Injectable()
export class JobsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /**
   * Inserts jobs with their objects, prompts and round-1 rows in one transaction (bulk INSERT ... unnest,
   * no per-job round trip). A per-tenant advisory lock makes the backlog ranks exact under concurrency.
   */
  async insertJobs(
    tenantId: string,
    rows: JobRows[],
    batch?: { id: string; name: string | null },
  ): Promise<InsertedJob[]> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${tenantId}, 7))`;
        // Ranks count the tenant's backlog on the job's own model: each model has its own segment queue.
        const ahead = new Map<string, number>();
        for (const model of new Set(rows.map((r) => r.job.model)))
          ahead.set(model, await tx.job.count({ where: { tenantId, status: 'QUEUED', model } }));
        if (batch) await tx.batch.create({ data: { id: batch.id, tenantId, name: batch.name, jobCount: rows.length } });
        await bulkInsertJobs(tx, tenantId, rows, new Date());
        return rows.map((r) => {
          const rank = ahead.get(r.job.model)!;
          ahead.set(r.job.model, rank + 1);
          return { id: r.job.id!, model: r.job.model, priority: r.job.priority ?? 5, rank };
        });
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  findForTenant(tenantId: string, id: string): Promise<Job | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.job.findFirst({ where: { id, tenantId } });
  }

  findByIdempotencyKey(tenantId: string, key: string): Promise<Job | null> {
    return this.prisma.job.findUnique({ where: { tenantId_idempotencyKey: { tenantId, idempotencyKey: key } } });
  }

  objects(jobId: string): Promise<JobObject[]> {
    return this.prisma.jobObject.findMany({ where: { jobId }, orderBy: { objectId: 'asc' } });
  }

  trackChunks(jobId: string, round: number): Promise<ObjectTrackChunk[]> {
    return this.prisma.objectTrackChunk.findMany({
      where: { jobId, round },
      orderBy: [{ objectId: 'asc' }, { startFrame: 'asc' }],
    });
  }

  /** Track rows of `round` and of every earlier SUCCEEDED round (objectStats keeps the newest per frame). */
  promptMarkers(jobId: string): Promise<{ objectId: number; frame: number; round: number; kind: string }[]> {
    return this.prisma.prompt.findMany({
      where: { jobId },
      select: { objectId: true, frame: true, round: true, kind: true },
      orderBy: [{ frame: 'asc' }],
    });
  }

  async trackChunksAsOf(jobId: string, round: number): Promise<ObjectTrackChunk[]> {
    const earlier =
      round > 1
        ? await this.prisma.round.findMany({
            where: { jobId, number: { lt: round }, status: 'SUCCEEDED' },
            select: { number: true },
          })
        : [];
    return this.prisma.objectTrackChunk.findMany({
      where: { jobId, round: { in: [round, ...earlier.map((r) => r.number)] } },
      orderBy: [{ objectId: 'asc' }, { startFrame: 'asc' }],
    });
  }

  /** Chunks of one round overlapping [from, to), in frame order. */
  chunksOverlapping(jobId: string, round: number, from: number, to: number): Promise<MaskletChunk[]> {
    return this.prisma.maskletChunk.findMany({
      where: { jobId, round, startFrame: { lt: to }, endFrame: { gt: from } },
      orderBy: { startFrame: 'asc' },
    });
  }

  /** Keyset pagination, newest first; the cursor is the last row's (createdAt, id). */
  list(
    tenantId: string,
    q: { status?: JobStatus; batchId?: string; limit: number; after?: { createdAt: Date; id: string } },
  ): Promise<Job[]> {
    const where: Prisma.JobWhereInput = {
      tenantId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.batchId ? { batchId: q.batchId } : {}),
      ...(q.after
        ? { OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }] }
        : {}),
    };
    return this.prisma.job.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit });
  }

  /** QUEUED -> CANCELLED only if still queued (a worker may have just started it). */
  async cancelIfQueued(jobId: string): Promise<boolean> {
    const now = new Date();
    return this.prisma.$transaction(async (tx) => {
      const r = await tx.job.updateMany({
        where: { id: jobId, status: 'QUEUED' },
        data: { status: 'CANCELLED', finishedAt: now, errorCode: 'CANCELLED', error: 'cancelled by the client' },
      });
      if (r.count === 0) return false;
      await tx.round.updateMany({ where: { jobId, status: 'QUEUED' }, data: { status: 'CANCELLED', finishedAt: now } });
      return true;
    });
  }

  async markEnqueueFailed(ids: string[], message: string): Promise<void> {
    await this.prisma.job.updateMany({
      where: { id: { in: ids }, status: 'QUEUED' },
      data: { status: 'FAILED', errorCode: 'ENQUEUE_FAILED', error: message, finishedAt: new Date() },
    });
  }

  progress(jobId: string): Promise<
    | (Pick<Job, 'status' | 'progress' | 'framesDone' | 'framesTotal' | 'currentRound' | 'errorCode' | 'error'> & {
        rounds: Pick<Round, 'number' | 'status' | 'framesDone' | 'framesTotal'>[];
      })
    | null
  > {
    return this.prisma.job.findUnique({
      where: { id: jobId },
      select: {
        status: true,
        progress: true,
        framesDone: true,
        framesTotal: true,
        currentRound: true,
        errorCode: true,
        error: true,
        rounds: {
          orderBy: { number: 'desc' },
          take: 1,
          select: { number: true, status: true, framesDone: true, framesTotal: true },
        },
      },
    });
  }

  round(jobId: string, number: number): Promise<Round | null> {
    return this.prisma.round.findUnique({ where: { jobId_number: { jobId, number } } });
  }
}
