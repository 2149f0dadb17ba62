import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PrismaClient } from '@masklet/db';
import { EntityPurger, JobStillRunningError } from '@masklet/lifecycle';
import type { ObjectStore } from '@masklet/storage';
import { ApiError, notFound } from '../common/api-error';
import type { QueueRegistry } from '../core/queues';
import { LOGGER, OBJECT_STORE, PRISMA, QUEUES_TOKEN, REDIS } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';

/** DELETE of a job, a video or a tenant (the work is EntityPurger's). A deleted entity answers 404. */
@Injectable()
export class DeletionService {
  private readonly purger: EntityPurger;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(OBJECT_STORE) store: ObjectStore,
    @Inject(QUEUES_TOKEN) queues: QueueRegistry,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.purger = new EntityPurger({ prisma, redis, store, queue: (name) => queues.get(name) });
  }

  async deleteJob(tenantId: string, jobId: string): Promise<void> {
    const job = isUuid(jobId) ? await this.prisma.job.findFirst({ where: { id: jobId, tenantId } }) : null;
    if (!job) throw notFound('job', jobId);
    const removed = await stopping(this.purger.purgeJob(tenantId, jobId));
    this.log.info({ jobId, tenantId, ...removed }, 'job deleted');
  }

  /** 409 VIDEO_IN_USE naming the jobs unless `cascade`, which deletes them first. */
  async deleteVideo(tenantId: string, videoId: string, cascade: boolean): Promise<void> {
    const video = isUuid(videoId) ? await this.prisma.video.findFirst({ where: { id: videoId, tenantId } }) : null;
    if (!video) throw notFound('video', videoId);
    const jobs = await this.prisma.job.findMany({
      where: { videoId },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
    if (jobs.length && !cascade) {
      const named =
        jobs
          .slice(0, 20)
          .map((j) => j.id)
          .join(', ') + (jobs.length > 20 ? ` and ${jobs.length - 20} more` : '');
      throw new ApiError(
        409,
        'VIDEO_IN_USE',
        `video ${videoId} is used by ${jobs.length} job(s): ${named}; delete them or pass ?cascade=true`,
        { jobIds: jobs.map((j) => j.id) },
      );
    }
    await stopping(this.purger.purgeVideo(tenantId, videoId));
    this.log.info({ videoId, tenantId, jobs: jobs.length }, 'video deleted');
  }

  /** Operator only: every video and job of the tenant, every object under its prefix, then the tenant. */
  async deleteTenant(tenantId: string): Promise<void> {
    const tenant = isUuid(tenantId) ? await this.prisma.tenant.findUnique({ where: { id: tenantId } }) : null;
    if (!tenant) throw notFound('tenant', tenantId);
    await stopping(this.purger.purgeTenant(tenantId));
    this.log.info({ tenantId }, 'tenant deleted');
  }
}

async function stopping<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof JobStillRunningError)
      throw new ApiError(409, 'JOB_STOPPING', `${err.message}; repeat the DELETE`);
    throw err;
  }
}
