import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '@masklet/db';
import {
  exportJobId,
  ingestJobId,
  QUEUES,
  segmentJobId,
  segmentQueueName,
  signalCancel,
  webhookJobId,
  type QueueName,
} from '@masklet/queue';
import type { ObjectStore } from '@masklet/storage';
import { deletePrefixes, deleteRedisPatterns } from './purge';
import { jobRedisPatterns, jobS3Prefixes, tenantS3Prefixes, videoS3Prefixes } from './purge-keys';

const ACTIVE = ['QUEUED', 'RUNNING'] as const;

export interface PurgerDeps {
  prisma: PrismaClient;
  redis: Redis;
  store: ObjectStore;
  queue(name: QueueName): Queue;
}

/** A job still working after the stop wait: the caller may repeat the deletion later. */
export class JobStillRunningError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} was signalled to stop and its worker has not stopped yet`);
    this.name = 'JobStillRunningError';
  }
}

/**
 * Removes jobs, videos and tenants: S3 objects, BullMQ entries and Redis keys first, rows last, so a
 * deletion interrupted half-way leaves the row and can be repeated. Callers check existence and rights.
 */
export class EntityPurger {
  constructor(
    private readonly d: PurgerDeps,
    private readonly stopWaitMs = 20_000,
  ) {}

  /** Returns how many objects and Redis keys went. */
  async purgeJob(tenantId: string, jobId: string): Promise<{ objects: number; redisKeys: number }> {
    await this.stopIfActive(jobId);
    const [job, exports, deliveries] = await Promise.all([
      this.d.prisma.job.findUnique({ where: { id: jobId }, select: { currentRound: true, model: true } }),
      this.d.prisma.export.findMany({ where: { jobId }, select: { id: true } }),
      this.d.prisma.webhookDelivery.findMany({ where: { jobId }, select: { id: true } }),
    ]);
    if (!job) return { objects: 0, redisKeys: 0 };
    await this.removeQueued(
      segmentQueueName(job.model),
      Array.from({ length: job.currentRound }, (_, i) => segmentJobId(jobId, i + 1)),
    );
    await this.removeQueued(
      QUEUES.export,
      exports.map((e) => exportJobId(e.id)),
    );
    await this.removeQueued(
      QUEUES.webhook,
      deliveries.map((x) => webhookJobId(x.id)),
    );
    const objects = await deletePrefixes(this.d.store, jobS3Prefixes(tenantId, jobId));
    const redisKeys = await deleteRedisPatterns(this.d.redis, jobRedisPatterns(jobId));
    await this.d.prisma.job.deleteMany({ where: { id: jobId } });
    return { objects, redisKeys };
  }

  /** The video's jobs, its uploaded source and frames, its ingest entry, its row. */
  async purgeVideo(tenantId: string, videoId: string): Promise<void> {
    const jobs = await this.d.prisma.job.findMany({ where: { videoId }, select: { id: true } });
    for (const j of jobs) await this.purgeJob(tenantId, j.id);
    await this.removeQueued(QUEUES.ingest, [ingestJobId(videoId)]);
    // An upload cut mid-way (or still arriving) holds parts in S3 until its multipart upload is aborted.
    for (const prefix of videoS3Prefixes(tenantId, videoId)) {
      for (const u of await this.d.store.listMultipartUploads(prefix))
        await this.d.store.abortMultipartUpload(u.key, u.uploadId);
    }
    await deletePrefixes(this.d.store, videoS3Prefixes(tenantId, videoId));
    await this.d.prisma.video.deleteMany({ where: { id: videoId, tenantId } });
  }

  async purgeTenant(tenantId: string): Promise<void> {
    const videos = await this.d.prisma.video.findMany({ where: { tenantId }, select: { id: true } });
    for (const v of videos) await this.purgeVideo(tenantId, v.id);
    await deletePrefixes(this.d.store, tenantS3Prefixes(tenantId));
    await this.d.prisma.tenant.deleteMany({ where: { id: tenantId } });
  }

  /**
   * A job or round still queued or running is cancelled and its worker given time to stop, so it never
   * writes objects after they were deleted.
   */
  private async stopIfActive(jobId: string): Promise<void> {
    const active = async (): Promise<boolean> => {
      const [job, rounds] = await Promise.all([
        this.d.prisma.job.findUnique({ where: { id: jobId }, select: { status: true } }),
        this.d.prisma.round.count({ where: { jobId, status: { in: [...ACTIVE] } } }),
      ]);
      return !!job && ((ACTIVE as readonly string[]).includes(job.status) || rounds > 0);
    };
    if (!(await active())) return;
    await signalCancel(this.d.redis, jobId);
    const queued = await this.d.prisma.job.findUnique({
      where: { id: jobId },
      select: { status: true, currentRound: true, model: true },
    });
    if (queued?.status === 'QUEUED') {
      const entry = await this.d.queue(segmentQueueName(queued.model)).getJob(segmentJobId(jobId, queued.currentRound));
      // Removed before a worker took it: nothing will write. A locked entry refuses removal.
      if (
        entry &&
        (await entry.remove().then(
          () => true,
          () => false,
        ))
      )
        return;
    }
    const deadline = Date.now() + this.stopWaitMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      if (!(await active())) return;
    }
    throw new JobStillRunningError(jobId);
  }

  private async removeQueued(name: QueueName, ids: readonly string[]): Promise<void> {
    const queue = this.d.queue(name);
    for (const id of ids) {
      const entry = await queue.getJob(id);
      if (entry) await entry.remove();
    }
  }
}
