import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PrismaClient } from '@masklet/db';
import { exportJobId, ingestJobId, QUEUES, segmentJobId, signalCancel, webhookJobId } from '@masklet/queue';
import type { ObjectStore } from '@masklet/storage';
import { ApiError, notFound } from '../common/api-error';
import type { QueueRegistry } from '../core/queues';
import { LOGGER, OBJECT_STORE, PRISMA, QUEUES_TOKEN, REDIS } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';
import { deletePrefixes, deleteRedisPatterns } from './purge';
import { jobRedisPatterns, jobS3Prefixes, tenantS3Prefixes, videoS3Prefixes } from './purge-keys';

/** How long a DELETE waits for a running job's worker to notice the cancel signal and stop. */
const STOP_WAIT_MS = 20_000;
const ACTIVE = ['QUEUED', 'RUNNING'] as const;

/**
 * Deletion of a job, a video or a tenant: S3 objects, BullMQ entries and Redis keys first, rows last,
 * so a DELETE interrupted half-way leaves the row and can be repeated. A deleted entity answers 404.
 */
@Injectable()
export class DeletionService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async deleteJob(tenantId: string, jobId: string): Promise<void> {
    const job = isUuid(jobId) ? await this.prisma.job.findFirst({ where: { id: jobId, tenantId } }) : null;
    if (!job) throw notFound('job', jobId);
    await this.purgeJob(tenantId, jobId);
  }

  /** 409 VIDEO_IN_USE naming the jobs unless `cascade`, which deletes them first. */
  async deleteVideo(tenantId: string, videoId: string, cascade: boolean): Promise<void> {
    const video = isUuid(videoId) ? await this.prisma.video.findFirst({ where: { id: videoId, tenantId } }) : null;
    if (!video) throw notFound('video', videoId);
    const jobs = await this.prisma.job.findMany({ where: { videoId }, select: { id: true }, orderBy: { createdAt: 'asc' } });
    if (jobs.length && !cascade) {
      const named = jobs.slice(0, 20).map((j) => j.id).join(', ') + (jobs.length > 20 ? ` and ${jobs.length - 20} more` : '');
      throw new ApiError(409, 'VIDEO_IN_USE', `video ${videoId} is used by ${jobs.length} job(s): ${named}; delete them or pass ?cascade=true`, { jobIds: jobs.map((j) => j.id) });
    }
    for (const j of jobs) await this.purgeJob(tenantId, j.id);
    await this.removeQueued(this.queues.get(QUEUES.ingest), [ingestJobId(videoId)]);
    await deletePrefixes(this.store, videoS3Prefixes(tenantId, videoId));
    await this.prisma.video.deleteMany({ where: { id: videoId, tenantId } });
  }

  /** Operator only: every video and job of the tenant, every object under its prefix, then the tenant. */
  async deleteTenant(tenantId: string): Promise<void> {
    const tenant = isUuid(tenantId) ? await this.prisma.tenant.findUnique({ where: { id: tenantId } }) : null;
    if (!tenant) throw notFound('tenant', tenantId);
    const videos = await this.prisma.video.findMany({ where: { tenantId }, select: { id: true } });
    for (const v of videos) await this.deleteVideo(tenantId, v.id, true);
    await deletePrefixes(this.store, tenantS3Prefixes(tenantId));
    await this.prisma.tenant.delete({ where: { id: tenantId } });
  }

  private async purgeJob(tenantId: string, jobId: string): Promise<void> {
    await this.stopIfActive(jobId);
    const [job, exports, deliveries] = await Promise.all([
      this.prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { currentRound: true } }),
      this.prisma.export.findMany({ where: { jobId }, select: { id: true } }),
      this.prisma.webhookDelivery.findMany({ where: { jobId }, select: { id: true } }),
    ]);
    const rounds = Array.from({ length: job.currentRound }, (_, i) => segmentJobId(jobId, i + 1));
    await this.removeQueued(this.queues.get(QUEUES.segment), rounds);
    await this.removeQueued(this.queues.get(QUEUES.export), exports.map((e) => exportJobId(e.id)));
    await this.removeQueued(this.queues.get(QUEUES.webhook), deliveries.map((d) => webhookJobId(d.id)));
    const objects = await deletePrefixes(this.store, jobS3Prefixes(tenantId, jobId));
    const keys = await deleteRedisPatterns(this.redis, jobRedisPatterns(jobId));
    await this.prisma.job.deleteMany({ where: { id: jobId } });
    this.log.info({ jobId, tenantId, objects, redisKeys: keys }, 'job deleted');
  }

  /**
   * A job or round still queued or running is cancelled and the worker is given time to stop, so it
   * never writes objects after they were deleted. Past the wait: 409 JOB_STOPPING (repeat the DELETE).
   */
  private async stopIfActive(jobId: string): Promise<void> {
    const active = async (): Promise<boolean> => {
      const [job, rounds] = await Promise.all([
        this.prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } }),
        this.prisma.round.count({ where: { jobId, status: { in: [...ACTIVE] } } }),
      ]);
      return (ACTIVE as readonly string[]).includes(job.status) || rounds > 0;
    };
    if (!(await active())) return;
    await signalCancel(this.redis, jobId);
    const running = await this.prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, currentRound: true } });
    if (running.status === 'QUEUED') {
      const entry = await this.queues.get(QUEUES.segment).getJob(segmentJobId(jobId, running.currentRound));
      // Removed before a worker took it: nothing will write. A locked entry refuses removal.
      if (entry && (await entry.remove().then(() => true, () => false))) return;
    }
    const deadline = Date.now() + STOP_WAIT_MS;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await active())) return;
    }
    throw new ApiError(409, 'JOB_STOPPING', `job ${jobId} was signalled to stop and its worker has not stopped yet; repeat the DELETE`);
  }

  private async removeQueued(queue: Queue, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const entry = await queue.getJob(id);
      if (entry) await entry.remove();
    }
  }
}
