/**
 * One step of the sweep: N virtual GPU workers, each a real worker (startWorker: its own Redis
 * connections, Prisma pool, heartbeat, queue reconciler, cancel watcher, BullMQ consumer of the segment
 * queue with the production concurrency and lock settings) whose engine is the latency model. The queue
 * is paused while they start, so every one of them is ready when the clock starts; after the warm-up,
 * the window's service counters, frames and jobs are what the step reports.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { MaskletConfig } from '@masklet/config';
import type { PrismaClient } from '@masklet/db';
import { CheckpointEncoder } from '@masklet/engine';
import { createRedisConnection, QUEUES, segmentQueueName } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../../apps/worker/src/worker';
import { ServiceCounters, type CountDelta } from './counters';
import { jainIndex, percentile } from './fleet-stats';
import { idealFps, type GpuLatency } from './gpu-latency';
import { engineOnlyFps, type LatencyEngine } from './latency-engine';

export interface StepResult {
  workers: number;
  seconds: number;
  frames: number;
  framesPerS: number;
  /** The latency model's frames/s for N GPUs, and what N bare latency sessions reach in this process. */
  idealFramesPerS: number;
  engineOnlyFramesPerS: number;
  /** frames/s >= keepUp * min(ideal, engine-only). */
  keepsUp: boolean;
  /** Seconds to start the N workers (connections, pools, first queries). */
  startS: number;
  jobsStarted: number;
  jobsSucceeded: number;
  jobsFailed: number;
  /** Jobs started in the window per tenant, and Jain's index over them. */
  startedByTenant: number[];
  jain: number;
  /** submit -> start of the jobs started in the window (s). */
  queueWaitP50S: number | null;
  queueWaitP99S: number | null;
  /** A worker's previous job finished -> its next job started (ms): the queue's hand-off. */
  handoffP50Ms: number | null;
  handoffP99Ms: number | null;
  counts: Omit<CountDelta, 's3PutMs'>;
  s3PutP50Ms: number | null;
  s3PutP99Ms: number | null;
  pgUnit: string;
  redisCmdsPerFrame: number;
  pgPerFrame: number;
  s3PerFrame: number;
  /** CPU seconds of this process (all N workers' JavaScript) and of redis-server per frame (ms). */
  benchCpuMsPerFrame: number;
  redisCpuMsPerFrame: number;
}

interface StepDeps {
  config: MaskletConfig;
  prisma: PrismaClient;
  counters: ServiceCounters;
  engine: LatencyEngine;
  latency: GpuLatency;
  objects: number;
  tenantIds: string[];
  warmupS: number;
  windowS: number;
  keepUp: number;
}

async function redisCpuSeconds(redis: ReturnType<typeof createRedisConnection>): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string): number => Number(new RegExp(`^${k}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
  return get('used_cpu_sys') + get('used_cpu_user');
}

export async function runStep(n: number, d: StepDeps): Promise<StepResult> {
  const engineOnly = await engineOnlyFps(d.engine, n, d.objects, Math.min(5, d.windowS));
  const startedAt = performance.now();
  const queue = new Queue(segmentQueueName(d.engine.modelName), {
    connection: createRedisConnection(d.config.REDIS_URL),
  });
  const admin = createRedisConnection(d.config.REDIS_URL);
  await queue.pause();
  // One checkpoint encoder thread for the whole fleet: N threads (one per real GPU pod) do not fit in
  // this process, and encoding is the GPU host's CPU work, not coordination. Never closed by a worker.
  const encoder = new CheckpointEncoder({ nice: d.config.CHECKPOINT_ENCODER_NICE });
  const shared: Pick<CheckpointEncoder, 'encode' | 'close'> = {
    encode: (c) => encoder.encode(c),
    close: async () => undefined,
  };
  const workers: WorkerHandle[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, k) =>
        startWorker(
          { ...d.config, WORKER_SCRATCH_DIR: join('.tmp', 'bench', 'fleet-workers') },
          { queues: [QUEUES.segment], engine: d.engine, workerId: `fleet-${stamp}-${i + k}` },
        ),
      ),
    );
    for (const w of batch) w.ctx.checkpointEncoder = shared as CheckpointEncoder;
    // Steady state, as a long-running worker: its pool connected and Prisma's first query behind it.
    const warm = (w: WorkerHandle) =>
      w.ctx.prisma.job.findFirst({ where: { tenantId: { in: d.tenantIds } }, select: { id: true } });
    await Promise.all(batch.map(warm));
    workers.push(...batch);
  }
  const frames = (): number => workers.reduce((s, w) => s + w.ctx.stats.framesProcessed, 0);
  const startS = (performance.now() - startedAt) / 1000;
  await queue.resume();
  await sleep(d.warmupS * 1000);

  const c0 = await d.counters.read();
  const f0 = frames();
  const cpu0 = process.cpuUsage();
  const r0 = await redisCpuSeconds(admin);
  const t0 = new Date();
  const p0 = performance.now();
  await sleep(d.windowS * 1000);
  const f1 = frames();
  const c1 = await d.counters.read();
  const cpu1 = process.cpuUsage(cpu0);
  const r1 = await redisCpuSeconds(admin);
  const t1 = new Date();
  const seconds = (performance.now() - p0) / 1000;

  await queue.pause();
  await Promise.all(workers.map((w) => w.close()));
  await encoder.close();
  await queue.close();
  admin.disconnect();

  const ids = workers.map((w) => w.id);
  const started = await d.prisma.job.findMany({
    where: { tenantId: { in: d.tenantIds }, startedAt: { gte: t0, lt: t1 } },
    select: { tenantId: true, createdAt: true, startedAt: true },
  });
  const finished = await d.prisma.job.groupBy({
    by: ['status'],
    where: { tenantId: { in: d.tenantIds }, finishedAt: { gte: t0, lt: t1 } },
    _count: true,
  });
  const byWorker = await d.prisma.job.findMany({
    where: { workerId: { in: ids }, startedAt: { gte: t0, lt: t1 } },
    select: { workerId: true, startedAt: true, finishedAt: true },
    orderBy: [{ workerId: 'asc' }, { startedAt: 'asc' }],
  });
  const handoffs: number[] = [];
  for (let i = 1; i < byWorker.length; i++) {
    const prev = byWorker[i - 1]!;
    const cur = byWorker[i]!;
    if (prev.workerId === cur.workerId && prev.finishedAt && prev.finishedAt <= cur.startedAt!) {
      handoffs.push(cur.startedAt!.getTime() - prev.finishedAt.getTime());
    }
  }
  const waits = started.map((j) => (j.startedAt!.getTime() - j.createdAt.getTime()) / 1000);
  const startedByTenant = d.tenantIds.map((t) => started.filter((j) => j.tenantId === t).length);
  const { s3PutMs, ...counts } = ServiceCounters.delta(c0, c1);
  const framesDone = f1 - f0;
  const per = (x: number): number => (framesDone > 0 ? x / framesDone : NaN);
  const ideal = n * idealFps(d.latency, d.objects);
  return {
    workers: n,
    seconds,
    frames: framesDone,
    framesPerS: framesDone / seconds,
    idealFramesPerS: ideal,
    engineOnlyFramesPerS: engineOnly,
    keepsUp: framesDone / seconds >= d.keepUp * Math.min(ideal, engineOnly),
    startS,
    jobsStarted: started.length,
    jobsSucceeded: finished.find((f) => f.status === 'SUCCEEDED')?._count ?? 0,
    jobsFailed: finished.find((f) => f.status === 'FAILED')?._count ?? 0,
    startedByTenant,
    jain: jainIndex(startedByTenant),
    queueWaitP50S: percentile(waits, 50),
    queueWaitP99S: percentile(waits, 99),
    handoffP50Ms: percentile(handoffs, 50),
    handoffP99Ms: percentile(handoffs, 99),
    counts,
    s3PutP50Ms: percentile(s3PutMs, 50),
    s3PutP99Ms: percentile(s3PutMs, 99),
    pgUnit: d.counters.pgUnit,
    redisCmdsPerFrame: per(counts.redis),
    pgPerFrame: per(counts.pg),
    s3PerFrame: per(counts.s3),
    benchCpuMsPerFrame: per((cpu1.user + cpu1.system) / 1000),
    redisCpuMsPerFrame: per((r1 - r0) * 1000),
  };
}
