import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueRegistry } from '../core/queues';
import { QUEUES_TOKEN } from '../core/tokens';

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

/** One registry per app instance (several apps can live in one test process). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(@Inject(QUEUES_TOKEN) queues: QueueRegistry) {
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
  }
}
