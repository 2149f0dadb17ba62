import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RoleTiming } from '@masklet/engine';

/**
 * What the kubelet's probes ask of a worker: live = its heartbeat loop still writes (a wedged process
 * stops beating long before its socket closes), ready = it takes jobs (false while draining on SIGTERM).
 */
export interface WorkerHealth {
  live(): boolean;
  ready(): boolean;
}

/** Prometheus metrics of one worker process, on its own registry (several workers may share a test process). */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly framesProcessed = new Counter({
    name: 'masklet_worker_frames_processed_total',
    help: 'Frames propagated by the engine',
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'masklet_worker_job_duration_seconds',
    help: 'Wall time of segment jobs by outcome',
    labelNames: ['outcome'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly inferenceMs = new Counter({
    name: 'masklet_worker_inference_ms_total',
    help: 'Engine inference wall time per model role (ms)',
    labelNames: ['role'],
    registers: [this.registry],
  });
  readonly inferenceCalls = new Counter({
    name: 'masklet_worker_inference_calls_total',
    help: 'Engine inference calls per model role',
    labelNames: ['role'],
    registers: [this.registry],
  });
  readonly inferenceMeanMs = new Gauge({
    name: 'masklet_worker_inference_mean_ms',
    help: 'Mean ms per call per model role since start',
    labelNames: ['role'],
    registers: [this.registry],
  });
  readonly heartbeats = new Counter({
    name: 'masklet_worker_heartbeats_total',
    help: 'Heartbeats written to the Worker table',
    registers: [this.registry],
  });
  private readonly lastTimings = new Map<string, RoleTiming>();
  private health: WorkerHealth = { live: () => true, ready: () => false };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'masklet_worker_' });
  }

  /** Feeds the engine's cumulative per-role timings in as counter increments. */
  observeRoleTimings(snapshot: Record<string, RoleTiming & { meanMs: number }>): void {
    for (const [role, t] of Object.entries(snapshot)) {
      const prev = this.lastTimings.get(role) ?? { calls: 0, totalMs: 0 };
      if (t.totalMs > prev.totalMs) this.inferenceMs.inc({ role }, t.totalMs - prev.totalMs);
      if (t.calls > prev.calls) this.inferenceCalls.inc({ role }, t.calls - prev.calls);
      this.inferenceMeanMs.set({ role }, t.meanMs);
      this.lastTimings.set(role, { calls: t.calls, totalMs: t.totalMs });
    }
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
