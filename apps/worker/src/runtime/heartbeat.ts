import { availableParallelism, freemem, hostname, totalmem } from 'node:os';
import type { PrismaClient } from '@masklet/db';
import type { Engine } from '../engine/engine-port';
import type { GpuSampler } from './gpu-sampler';
import type { Logger } from './logger';
import type { WorkerMetrics } from './metrics';
import type { WorkerStats } from './worker-stats';

export interface HeartbeatDeps {
  prisma: PrismaClient;
  workerId: string;
  startedAt: Date;
  /** The engine of each model it serves (none without a segment queue). */
  engines: readonly Engine[];
  /** The queue names it consumes. */
  queues: readonly string[];
  stats: WorkerStats;
  metrics: WorkerMetrics;
  /** nvidia-smi per beat; none on a CPU host. */
  gpus: GpuSampler;
  log: Logger;
}

/** Upserts the Worker row every WORKER_HEARTBEAT_MS; `stop` writes STOPPED. */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private lastCpu = { usage: process.cpuUsage(), at: performance.now() };
  private lastAttemptAt = performance.now();
  private lastWrittenAt = performance.now();

  constructor(
    private readonly deps: HeartbeatDeps,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.inFlight = this.beat().catch((err: unknown) => this.deps.log.warn({ err }, 'heartbeat failed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Process CPU time over wall time since the last beat, per core (1 = every core busy). */
  private cpuUtilisation(): number {
    const now = performance.now();
    const usage = process.cpuUsage(this.lastCpu.usage);
    const wallUs = (now - this.lastCpu.at) * 1000;
    this.lastCpu = { usage: process.cpuUsage(), at: now };
    return wallUs > 0 ? Math.min(1, (usage.user + usage.system) / wallUs / availableParallelism()) : 0;
  }

  private async row(state: 'IDLE' | 'BUSY' | 'STOPPED') {
    const { stats, engines, metrics } = this.deps;
    const roles = metrics.roleTotals();
    const gpus = await this.deps.gpus.sample();
    metrics.gpu.set(gpus);
    const current = [...stats.activeJobs];
    return {
      host: hostname(),
      pid: process.pid,
      device: engines[0]?.device ?? 'cpu',
      model: engines[0]?.modelName ?? 'none',
      models: engines.map((e) => e.modelName),
      queues: [...this.deps.queues],
      state,
      currentJobId: current[0] ?? null,
      fps: stats.takeFps(),
      rssBytes: BigInt(process.memoryUsage().rss),
      framesProcessed: BigInt(stats.framesProcessed),
      jobsCompleted: stats.jobsCompleted,
      jobsFailed: stats.jobsFailed,
      stats: {
        activeJobs: current,
        inferenceMsPerRole: Object.fromEntries(
          Object.entries(roles).map(([r, t]) => [
            r,
            { calls: t.calls, totalMs: Math.round(t.totalMs), meanMs: Number(t.meanMs.toFixed(2)) },
          ]),
        ),
        heapUsedBytes: process.memoryUsage().heapUsed,
        cpuUtilisation: Number(this.cpuUtilisation().toFixed(3)),
        systemMemory: { totalBytes: totalmem(), freeBytes: freemem() },
        checkpoints: { ...stats.checkpoints },
        framesPerMinute: stats.framesPerMinute(),
        ...(gpus ? { gpus } : {}),
      },
      heartbeatAt: new Date(),
    };
  }

  async beat(stateOverride?: 'STOPPED'): Promise<void> {
    this.lastAttemptAt = performance.now();
    const state = stateOverride ?? (this.deps.stats.activeJobs.size > 0 ? 'BUSY' : 'IDLE');
    const row = await this.row(state);
    await this.deps.prisma.worker.upsert({
      where: { id: this.deps.workerId },
      create: { id: this.deps.workerId, startedAt: this.deps.startedAt, ...row },
      update: row,
    });
    this.deps.metrics.heartbeats.inc();
    this.lastWrittenAt = performance.now();
  }

  /** Time since the heartbeat timer last fired: the process is not wedged (whatever Postgres does). */
  lastAttemptAgeMs(): number {
    return performance.now() - this.lastAttemptAt;
  }

  /** Time since the last heartbeat reached Postgres: the worker can coordinate jobs. */
  lastWrittenAgeMs(): number {
    return performance.now() - this.lastWrittenAt;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.beat('STOPPED');
  }
}
