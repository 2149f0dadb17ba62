/**
 * npm run bench -- fleet [options; --help]
 * N virtual GPU workers against this machine's Redis, Postgres and S3: the production worker and
 * queue code with the engine replaced by a latency model of SAM 2.1 on an A100 (fleet/gpu-latency.ts),
 * working through 10,000-job batches from several tenants submitted through the API. For each N of the
 * sweep: coordination requests per frame (Redis commands, Postgres statements, S3 requests), queue
 * wait, hand-off time, fairness across tenants (Jain's index) and frames/s against the latency model's
 * ideal. JSON lines, a table, then a last line for the largest N that keeps up (or the smallest tried):
 * `workers <n> frames_per_s <x> jain <j> redis_cmds_per_frame <r> pg_stmts_per_frame <p>`.
 * Uses its own Redis database (9, flushed) and its own tenants; every bench process runs in this one
 * process, so on a small machine its CPU, not the services, may be what stops the fleet first.
 */
import IORedis from 'ioredis';
import { loadConfig, loadModelRegistry, type MaskletConfig } from '@masklet/config';
import { createPrismaClient } from '@masklet/db';
import { countS3Requests, ServiceCounters } from './fleet/counters';
import { submitBacklog } from './fleet/fleet-backlog';
import { parseFleetOptions } from './fleet/fleet-options';
import { runStep, type StepResult } from './fleet/fleet-step';
import { gpuLatency, idealFps } from './fleet/gpu-latency';
import { LatencyEngine } from './fleet/latency-engine';

const REDIS_DB = 9;

const fmt = (x: number | null, digits = 2): string => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(digits));

export async function runFleetBench(argv: string[]): Promise<void> {
  const o = parseFleetOptions(argv);
  const base = loadConfig();
  const redisUrl = new URL(base.REDIS_URL);
  redisUrl.pathname = `/${REDIS_DB}`;
  const logLevel = (process.env.BENCH_LOG_LEVEL ?? 'error') as MaskletConfig['LOG_LEVEL'];
  const config: MaskletConfig = {
    ...base,
    REDIS_URL: redisUrl.toString(),
    LOG_LEVEL: logLevel,
    WORKER_METRICS_PORT: 0,
    API_METRICS_PORT: 0,
  };
  const flush = async (): Promise<void> => {
    const r = new IORedis(config.REDIS_URL);
    await r.flushdb();
    r.disconnect();
  };
  await flush();
  countS3Requests();
  const prisma = createPrismaClient(config.DATABASE_URL);
  const counters = await ServiceCounters.open(config.REDIS_URL, config.DATABASE_URL);
  // A worker holds up to ~3 connections at once (its job, the chunk written behind it, the heartbeat).
  const maxConnections = await counters.maxConnections();
  const tooMany = o.workers.filter((n) => 3 * n + 20 > maxConnections);
  if (tooMany.length) {
    throw new Error(
      `postgres max_connections is ${maxConnections}: too few for ${tooMany.join(', ')} workers ` +
        '(3 per worker + 20); raise it (ALTER SYSTEM SET max_connections, restart)',
    );
  }
  const latency = gpuLatency(o.model, o.objectShare);
  console.log(
    JSON.stringify({
      bench: 'fleet-setup',
      model: `sam2.1_hiera_${o.model}`,
      frameMsOneObject: +latency.frameMs.toFixed(3),
      objectShare: o.objectShare,
      objects: o.objects,
      idealFpsPerWorker: +idealFps(latency, o.objects).toFixed(2),
      pgCounter: counters.pgUnit,
    }),
  );

  const backlog = await submitBacklog(config, prisma, o);
  const submitS = backlog.batchSeconds.reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      bench: 'fleet-submit',
      tenants: o.tenants,
      batchJobs: o.jobs,
      batches: backlog.batchSeconds.length,
      jobs: backlog.jobs,
      jobsPerS: +(backlog.jobs / submitS).toFixed(1),
      batchSeconds: backlog.batchSeconds.map((s) => +s.toFixed(2)),
    }),
  );

  const engine = new LatencyEngine({
    latency,
    modelName: loadModelRegistry(config).defaultModel,
    video: backlog.video,
    checkpointBytes: o.checkpointBytes,
  });
  const results: StepResult[] = [];
  try {
    for (const n of o.workers) {
      const r = await runStep(n, {
        config,
        prisma,
        counters,
        engine,
        latency,
        objects: o.objects,
        tenantIds: backlog.tenantIds,
        warmupS: o.warmupS,
        windowS: o.windowS,
        keepUp: o.keepUp,
      });
      results.push(r);
      console.log(JSON.stringify({ bench: 'fleet-step', ...r }));
    }
  } finally {
    // What is left of the backlog leaves the queue and the rows, so nothing else picks it up.
    await prisma.job.updateMany({
      where: { tenantId: { in: backlog.tenantIds }, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'CANCELLED', finishedAt: new Date() },
    });
    await flush();
    await counters.close();
    await prisma.$disconnect();
  }

  const pgColumn = `pg_${counters.pgUnit === 'statements' ? 'stmts' : 'xacts'}/frame`;
  console.log(
    '\nworkers  frames/s  ideal  engine_only  keeps_up  jain   wait_p50_s wait_p99_s' +
      ' handoff_p50_ms handoff_p99_ms' +
      `  redis/frame  ${pgColumn}  s3/frame  s3_put_p50_ms  cpu_ms/frame`,
  );
  for (const r of results) {
    console.log(
      [
        String(r.workers).padStart(7),
        fmt(r.framesPerS, 0).padStart(9),
        fmt(r.idealFramesPerS, 0).padStart(6),
        fmt(r.engineOnlyFramesPerS, 0).padStart(12),
        String(r.keepsUp).padStart(9),
        fmt(r.jain, 3).padStart(6),
        fmt(r.queueWaitP50S, 1).padStart(10),
        fmt(r.queueWaitP99S, 1).padStart(10),
        fmt(r.handoffP50Ms, 0).padStart(14),
        fmt(r.handoffP99Ms, 0).padStart(14),
        fmt(r.redisCmdsPerFrame, 2).padStart(12),
        fmt(r.pgPerFrame, 3).padStart(15),
        fmt(r.s3PerFrame, 3).padStart(9),
        fmt(r.s3PutP50Ms, 1).padStart(14),
        fmt(r.benchCpuMsPerFrame, 2).padStart(13),
      ].join(' '),
    );
  }
  const kept = results.filter((r) => r.keepsUp);
  const last = kept.length
    ? kept.reduce((a, b) => (b.workers > a.workers ? b : a))
    : results.reduce((a, b) => (b.workers < a.workers ? b : a));
  const bar = `>= ${o.keepUp} of min(ideal, engine-only) frames/s`;
  console.log(
    kept.length
      ? `saturation: the largest N that keeps up (${bar}) is ${last.workers}`
      : `saturation: no N kept up (${bar}); the last line is the smallest N tried`,
  );
  console.log(
    `workers ${last.workers} frames_per_s ${fmt(last.framesPerS, 1)} jain ${fmt(last.jain, 3)} ` +
      `redis_cmds_per_frame ${fmt(last.redisCmdsPerFrame, 2)} pg_stmts_per_frame ${fmt(last.pgPerFrame, 3)}`,
  );
}
