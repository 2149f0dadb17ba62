import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MaskletConfig } from '@masklet/config';
import type { PrismaClient } from '@masklet/db';
import { EntityPurger, sweepOnce } from '@masklet/lifecycle';
import type { QueueName } from '@masklet/queue';
import type { ObjectStore } from '@masklet/storage';
import type { Logger } from './logger';

const LOCK_KEY = 'masklet:retention-sweep';

/**
 * Runs the retention sweep every RETENTION_SWEEP_INTERVAL_MS. Every worker runs the timer; a Redis lock
 * held for one interval lets one of them sweep per interval.
 */
export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly purger: EntityPurger;

  constructor(
    private readonly config: MaskletConfig,
    private readonly deps: { prisma: PrismaClient; redis: Redis; store: ObjectStore; log: Logger; prefix?: string },
  ) {
    this.purger = new EntityPurger({ ...deps, queue: (name) => this.queue(name) });
  }

  /** Opened on first use: a purged job's segment queue is its model's, whichever models this worker serves. */
  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q)
      this.queues.set(
        name,
        (q = new Queue(name, {
          connection: this.deps.redis,
          ...(this.deps.prefix ? { prefix: this.deps.prefix } : {}),
        })),
      );
    return q;
  }

  start(): void {
    const every = this.config.RETENTION_SWEEP_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => void this.tick(every), every);
    this.timer.unref();
    void this.tick(every);
  }

  private async tick(lockMs: number): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      try {
        if ((await this.deps.redis.set(LOCK_KEY, '1', 'PX', lockMs, 'NX')) !== 'OK') return;
        const r = await sweepOnce(this.deps.prisma, this.deps.store, this.purger, {
          retentionDays: this.config.RETENTION_DAYS,
          pendingUploadTtlSeconds: this.config.UPLOAD_PENDING_TTL_SECONDS,
        });
        if (r.jobs || r.videos || r.pendingVideos || r.multipartUploads) this.deps.log.info(r, 'retention sweep');
      } catch (err) {
        this.deps.log.warn({ err }, 'retention sweep failed; the next interval retries');
      }
    })().finally(() => (this.running = null));
    await this.running;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
