import { Inject, Injectable } from '@nestjs/common';
import type { MaskletConfig } from '@masklet/config';
import type { PrismaClient } from '@masklet/db';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueRegistry } from '../core/queues';
import { CONFIG, PRISMA, QUEUES_TOKEN } from '../core/tokens';
import { STALE_HEARTBEATS } from '../fleet/fleet.service';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

/** One registry per app instance (several apps can live in one test process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    @Inject(QUEUES_TOKEN) queues: QueueRegistry,
    @Inject(PRISMA) prisma: PrismaClient,
    @Inject(CONFIG) config: MaskletConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'masklet_http_request_duration_seconds',
      help: 'HTTP request duration by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    new Gauge({
      name: 'masklet_queue_jobs',
      help: 'BullMQ jobs by queue and state (collected on scrape)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        await Promise.all(
          queues.all().map(async ([name, q]) => {
            const counts = await q.getJobCounts(...STATES);
            for (const s of STATES) this.set({ queue: name, state: s }, counts[s] ?? 0);
          }),
        );
      },
    });
    // Ages rather than thresholds: the alert rules (chart values) decide what is too old.
    new Gauge({
      name: 'masklet_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest job waiting in each FIFO queue (0 when empty); segment work is the QUEUED jobs gauge',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        const now = Date.now();
        await Promise.all(
          queues.all().map(async ([name, q]) => {
            const [oldest] = await q.getJobs(['wait'], 0, 0, true);
            this.set({ queue: name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
          }),
        );
      },
    });
    new Gauge({
      name: 'masklet_jobs_oldest_age_seconds',
      help: 'Oldest QUEUED job since submission and oldest RUNNING job since its last progress (0 when none)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const rows = await prisma.$queryRaw<{ status: string; oldest: Date | null }[]>`
          SELECT 'QUEUED' AS status, min("createdAt") AS oldest FROM "Job" WHERE status = 'QUEUED'
          UNION ALL SELECT 'RUNNING', min("updatedAt") FROM "Job" WHERE status = 'RUNNING'`;
        const now = Date.now();
        for (const r of rows)
          this.set({ status: r.status }, r.oldest ? Math.max(0, (now - r.oldest.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'masklet_workers',
      help: 'Registered worker processes by state (STALE: missed heartbeats)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const staleBefore = new Date(Date.now() - STALE_HEARTBEATS * config.WORKER_HEARTBEAT_MS);
        const rows = await prisma.worker.findMany({ select: { state: true, heartbeatAt: true } });
        const counts: Record<string, number> = { BUSY: 0, IDLE: 0, STALE: 0, STOPPED: 0 };
        for (const w of rows) {
          const state = w.state === 'STOPPED' ? 'STOPPED' : w.heartbeatAt < staleBefore ? 'STALE' : w.state;
          counts[state] = (counts[state] ?? 0) + 1;
        }
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
  }
}
