import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '@masklet/db';
import {
  fairPriority,
  QUEUES,
  segmentJobId,
  segmentJobOptions,
  segmentQueueName,
  type SegmentPayload,
} from '@masklet/queue';
import type { Logger } from './logger';

export interface ReconcilerOptions {
  prisma: PrismaClient;
  connection: Redis;
  prefix?: string;
  intervalMs: number;
  /** Rows changed more recently than this are left alone: the API may be adding their queue entry right now. */
  graceMs: number;
  log: Logger;
}

/**
 * Postgres is the source of truth for which segment work is owed; BullMQ only carries it. When Redis
 * loses entries (restarted without its append-only file, a failover), jobs would stay QUEUED/RUNNING
 * forever. Every interval this re-adds the current round's entry of each such job that BullMQ does not
 * hold. Entry ids are deterministic (segmentJobId), so several workers reconciling at once, or an API
 * add racing this one, still leave one entry.
 */
export class QueueReconciler {
  /** Segment queues by model, opened as owed jobs name them (a job's model may have no worker here). */
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly opts: ReconcilerOptions) {}

  private queue(model: string): Queue {
    const name = segmentQueueName(model);
    let q = this.queues.get(name);
    if (!q)
      this.queues.set(
        name,
        (q = new Queue(name, {
          connection: this.opts.connection,
          ...(this.opts.prefix ? { prefix: this.opts.prefix } : {}),
        })),
      );
    return q;
  }

  start(): void {
    this.timer = setInterval(
      () =>
        void this.reconcileOnce().catch((err: unknown) =>
          this.opts.log.warn({ err }, 'queue reconcile failed; next interval retries'),
        ),
      this.opts.intervalMs,
    );
    this.timer.unref();
  }

  /** One pass; returns how many entries were re-added. Overlapping calls share the pass in flight. */
  reconcileOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const cutoff = new Date(Date.now() - this.opts.graceMs);
    const owed = await this.opts.prisma.job.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] }, updatedAt: { lt: cutoff } },
      select: { id: true, tenantId: true, priority: true, currentRound: true, model: true },
      orderBy: { createdAt: 'asc' },
      take: 1000,
    });
    let added = 0;
    for (const job of owed) {
      const id = segmentJobId(job.id, job.currentRound);
      const queue = this.queue(job.model);
      if (await queue.getJob(id)) continue;
      const data: SegmentPayload = { jobId: job.id, tenantId: job.tenantId, round: job.currentRound };
      await queue.add(QUEUES.segment, data, segmentJobOptions(id, fairPriority(0, job.priority)));
      added++;
      this.opts.log.warn({ jobId: job.id, round: job.currentRound }, 'segment entry missing from the queue; re-added');
    }
    return added;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
