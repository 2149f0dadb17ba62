import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoleTiming } from '@masklet/engine';
import type { Engine } from '../engine/engine-port';
import { GpuGauges } from './gpu-gauges';

/**
 * What the kubelet's probes ask of a worker: live = its heartbeat loop still writes (a wedged process
 * stops beating long before its socket closes), ready = it takes jobs (false while draining on SIGTERM).
 */
export interface WorkerHealth {
  live(): boolean;
  ready(): boolean;
}

/** Per-role totals since start, the fleet page's ms per role. */
export type RoleTotals = Record<string, RoleTiming & { meanMs: number }>;

/** Sub-millisecond decoder calls to multi-second encoder calls on a CPU. */
const ROLE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prometheus metrics of one worker process, on its own registry (several workers may share a test process). */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly framesProcessed = new Counter({
    name: 'masklet_worker_frames_processed_total',
    help: 'Frames propagated by the engine',
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'masklet_job_duration_seconds',
    help: 'Wall time of one processing attempt of a queue job, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.05, 0.25, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly segmentFrame = new Histogram({
    name: 'masklet_segment_frame_seconds',
    help: 'Wait of the segment processor for each propagated frame from the engine',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly engineRole = new Histogram({
    name: 'masklet_engine_role_seconds',
    help: 'Duration of each engine graph call by model role',
    labelNames: ['role'],
    buckets: ROLE_BUCKETS,
    registers: [this.registry],
    // The engine thread's calls are drained at scrape time too, so a scrape never lags a heartbeat.
    collect: () => this.drainEngines(),
  });
  readonly heartbeats = new Counter({
    name: 'masklet_worker_heartbeats_total',
    help: 'Heartbeats written to the Worker table',
    registers: [this.registry],
  });
  readonly gpu = new GpuGauges(this.registry);
  private engines: readonly Engine[] = [];
  private readonly totals = new Map<string, RoleTiming>();
  private health: WorkerHealth = { live: () => true, ready: () => false };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'masklet_worker_' });
  }

  /** The engines whose role calls feed masklet_engine_role_seconds. */
  watchEngines(engines: readonly Engine[]): void {
    this.engines = engines;
  }

  /** Moves the engines' role calls since the last drain into the histogram and the running totals. */
  drainEngines(): void {
    for (const engine of this.engines) {
      for (const [role, calls] of Object.entries(engine.drainCalls())) {
        const total = this.totals.get(role) ?? { calls: 0, totalMs: 0 };
        for (const ms of calls) {
          this.engineRole.observe({ role }, ms / 1000);
          total.totalMs += ms;
        }
        total.calls += calls.length;
        this.totals.set(role, total);
      }
    }
  }

  /** Calls, total and mean ms per role since start, over every engine (drains first). */
  roleTotals(): RoleTotals {
    this.drainEngines();
    const out: RoleTotals = {};
    for (const [role, t] of this.totals) out[role] = { ...t, meanMs: t.calls ? t.totalMs / t.calls : 0 };
    return out;
  }

  setHealth(health: WorkerHealth): void {
    this.health = health;
  }

  /**
   * Serves GET /metrics, /healthz (liveness) and /readyz (readiness); the server starts once the model
   * is loaded, so a startup probe on /healthz covers the model load. Port 0 in config disables it.
   */
  listen(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      const probe = req.url === '/healthz' ? this.health.live() : req.url === '/readyz' ? this.health.ready() : null;
      if (probe !== null) {
        res.writeHead(probe ? 200 : 503, { 'content-type': 'text/plain' }).end(probe ? 'ok' : 'unavailable');
        return;
      }
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(body))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
