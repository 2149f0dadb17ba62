import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '@masklet/db';
import {
  exportJobId,
  exportJobOptions,
  fairPriority,
  QUEUES,
  segmentJobId,
  segmentJobOptions,
  segmentQueueName,
  webhookJobId,
  webhookJobOptions,
  type ExportPayload,
  type SegmentPayload,
  type WebhookPayload,
} from '@masklet/queue';
import type { Logger } from './logger';

export interface ReconcilerOptions {
  prisma: PrismaClient;
  connection: Redis;
  prefix?: string;
  intervalMs: number;
  /** Rows changed more recently than this are left alone: the API may be adding their queue entry right now. */
  graceMs: number;
  /** Options of re-added webhook entries (WEBHOOK_ATTEMPTS / WEBHOOK_BACKOFF_MS). */
  webhook: { attempts: number; backoffMs: number };
  log: Logger;
}

/**
 * Postgres is the source of truth for which work is owed; BullMQ only carries it. When Redis loses
 * entries (restarted without its append-only file, a failover), jobs and exports would stay
 * QUEUED/RUNNING and webhook deliveries PENDING forever. Every interval this re-adds the entry of each
 * such row that BullMQ does not hold: a job's current round, an export, a delivery. Entry ids are
 * deterministic (segmentJobId, exportJobId, webhookJobId), so several workers reconciling at once, or
 * an API add racing this one, still leave one entry. Ingest entries have nothing to re-add: the API
 * marks a video READY before queueing its frame index, and nothing waits on that index.
 */
export class QueueReconciler {
  /** Queues by name, opened as owed rows name them (a job's model may have no worker here). */
  private readonly queues = new Map<string, Queue>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly opts: ReconcilerOptions) {}

  private queue(name: string): Queue {
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
        void this.reconcileIfLeader().catch((err: unknown) =>
          this.opts.log.warn({ err }, 'queue reconcile failed; next interval retries'),
        ),
      this.opts.intervalMs,
    );
    this.timer.unref();
  }

  /**
   * One worker per interval does the pass: the lease (SET NX, one interval long, never released) goes to
   * whichever worker asks first, so Redis and Postgres see one pass per interval however large the fleet.
   */
  private async reconcileIfLeader(): Promise<number> {
    const lease = `${this.opts.prefix ?? 'bull'}:masklet:reconciler-lease`;
    const won = await this.opts.connection.set(lease, String(process.pid), 'PX', this.opts.intervalMs, 'NX');
    return won === 'OK' ? this.reconcileOnce() : 0;
  }

  /** Which of `ids` the queue holds: one pipelined EXISTS per id, one round trip for the lot. */
  private async held(queue: Queue, ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const pipeline = this.opts.connection.pipeline();
    for (const id of ids) pipeline.exists(queue.toKey(id));
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((_, i) => {
      const [err, n] = replies[i] ?? [new Error('no reply'), 0];
      if (err) throw err;
      return n === 1;
    });
  }

  /** One pass; returns how many entries were re-added. Overlapping calls share the pass in flight. */
  reconcileOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    const cutoff = new Date(Date.now() - this.opts.graceMs);
    return (await this.segments(cutoff)) + (await this.exports(cutoff)) + (await this.webhooks(cutoff));
  }

  private async segments(cutoff: Date): Promise<number> {
    const owed = await this.opts.prisma.job.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] }, updatedAt: { lt: cutoff } },
      select: { id: true, tenantId: true, priority: true, currentRound: true, model: true },
      orderBy: { createdAt: 'asc' },
      take: 1000,
    });
    let added = 0;
    const byQueue = new Map<string, typeof owed>();
    for (const job of owed) {
      const name = segmentQueueName(job.model);
      const jobs = byQueue.get(name);
      if (jobs) jobs.push(job);
      else byQueue.set(name, [job]);
    }
    for (const [name, jobs] of byQueue) {
      const queue = this.queue(name);
      const held = await this.held(
        queue,
        jobs.map((job) => segmentJobId(job.id, job.currentRound)),
      );
      added += await this.readd(
        jobs.filter((_, i) => !held[i]),
        queue,
      );
    }
    return added;
  }

  private async readd(
    jobs: ReadonlyArray<{ id: string; tenantId: string; priority: number; currentRound: number }>,
    queue: Queue,
  ): Promise<number> {
    let added = 0;
    for (const job of jobs) {
      const id = segmentJobId(job.id, job.currentRound);
      const data: SegmentPayload = { jobId: job.id, tenantId: job.tenantId, round: job.currentRound };
      await queue.add(QUEUES.segment, data, segmentJobOptions(id, fairPriority(0, job.priority)));
      added++;
      this.opts.log.warn({ jobId: job.id, round: job.currentRound }, 'segment entry missing from the queue; re-added');
    }
    return added;
  }

  private async exports(cutoff: Date): Promise<number> {
    const owed = await this.opts.prisma.export.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: cutoff } },
      select: { id: true, jobId: true, round: true, kind: true, job: { select: { tenantId: true } } },
      orderBy: { createdAt: 'asc' },
      take: 1000,
    });
    const queue = this.queue(QUEUES.export);
    let added = 0;
    const held = await this.held(
      queue,
      owed.map((row) => exportJobId(row.id)),
    );
    for (const row of owed.filter((_, i) => !held[i])) {
      const id = exportJobId(row.id);
      const data: ExportPayload = {
        exportId: row.id,
        jobId: row.jobId,
        tenantId: row.job.tenantId,
        round: row.round,
        kind: row.kind,
      };
      await queue.add(row.kind, data, exportJobOptions(id));
      added++;
      this.opts.log.warn({ exportId: row.id, jobId: row.jobId }, 'export entry missing from the queue; re-added');
    }
    return added;
  }

  private async webhooks(cutoff: Date): Promise<number> {
    const owed = await this.opts.prisma.webhookDelivery.findMany({
      where: { status: 'PENDING', createdAt: { lt: cutoff } },
      select: { id: true, jobId: true, event: true },
      orderBy: { createdAt: 'asc' },
      take: 1000,
    });
    const queue = this.queue(QUEUES.webhook);
    let added = 0;
    const held = await this.held(
      queue,
      owed.map((row) => webhookJobId(row.id)),
    );
    for (const row of owed.filter((_, i) => !held[i])) {
      const id = webhookJobId(row.id);
      const data: WebhookPayload = { deliveryId: row.id };
      await queue.add(row.event, data, webhookJobOptions(id, this.opts.webhook.attempts, this.opts.webhook.backoffMs));
      added++;
      this.opts.log.warn({ deliveryId: row.id, jobId: row.jobId }, 'webhook entry missing from the queue; re-added');
    }
    return added;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
