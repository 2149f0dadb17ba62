import type { Server } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { Queue, Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadModelRegistry, workerModels, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, type PrismaClient } from '@masklet/db';
import { CheckpointEncoder, type SamModel } from '@masklet/engine';
import {
  createRedisConnection,
  kindsNeedModel,
  parseQueueKinds,
  previewQueueName,
  QUEUES,
  segmentQueueName,
  workerQueueNames,
  type QueueKind,
} from '@masklet/queue';
import { createObjectStoreFromEnv } from '@masklet/storage';
import type { Engine } from './engine/engine-port';
import { InlineEngine } from './engine/inline-engine';
import { exportProcessor } from './export/export-processor';
import { ingestProcessor } from './ingest/ingest-processor';
import { previewConsumer } from './preview/preview-processor';
import { CancelWatcher } from './runtime/cancel-watcher';
import type { WorkerContext } from './runtime/context';
import { GpuSampler } from './runtime/gpu-sampler';
import { tracedStore } from './runtime/traced-store';
import { Heartbeat } from './runtime/heartbeat';
import { instrumented } from './runtime/instrumented';
import { createLogger, type Logger } from './runtime/logger';
import { WorkerMetrics } from './runtime/metrics';
import { RetentionSweeper } from './runtime/retention-sweeper';
import { startWorkerEngine } from './runtime/model-loader';
import { VideoCache } from './runtime/video-cache';
import { makeWorkerId } from './runtime/worker-id';
import { QueueReconciler } from './runtime/queue-reconciler';
import { WorkerStats } from './runtime/worker-stats';
import { segmentProcessor } from './segment/segment-processor';
import { webhookProcessor } from './webhook/webhook-processor';

/** Probes fail after this many heartbeat periods: liveness without a heartbeat attempt, readiness without a written one. */
const MISSED_HEARTBEATS = 5;
/** Previews taken at once per model: their downloads and checkpoint loads overlap; the engine runs one graph call at a time. */
const PREVIEW_CONCURRENCY = 4;

export interface StartWorkerOptions {
  /** Queue kinds to consume; default WORKER_QUEUES. */
  queues?: readonly QueueKind[];
  /** A model already loaded (tests share one): its engine runs on the calling thread; the model is not released on close. */
  model?: SamModel;
  /** Several models already loaded to serve (one segment queue each), inline like `model`. */
  models?: readonly SamModel[];
  /** An engine already started (tests share one engine thread); it is not closed on close. Wins over `model(s)`. */
  engine?: Engine;
  logger?: Logger;
  workerId?: string;
  /** BullMQ key prefix; default BullMQ's ('bull'), which the API uses too. Tests isolate themselves with their own. */
  prefix?: string;
  /** BullMQ stalled-job check interval (ms); default BullMQ's 30 s. */
  stalledIntervalMs?: number;
}

export interface WorkerHandle {
  id: string;
  ctx: WorkerContext;
  reconciler: QueueReconciler;
  /** The metrics endpoint when WORKER_METRICS_PORT > 0. */
  metricsServer: Server | null;
  /** Graceful: stops taking jobs, releases a running segment job at its next frame, marks the Worker row STOPPED. */
  close(): Promise<void>;
}

/** Starts the BullMQ consumers of one worker process (or of one in-process test worker). */
export async function startWorker(config: MaskletConfig, opts: StartWorkerOptions = {}): Promise<WorkerHandle> {
  const startedAt = new Date();
  const workerId = opts.workerId ?? makeWorkerId(startedAt);
  const log = opts.logger ?? createLogger(config.LOG_LEVEL, workerId);
  const kinds = opts.queues ?? parseQueueKinds(config.WORKER_QUEUES);
  const prefix = opts.prefix ? { prefix: opts.prefix } : {};
  const connections: Redis[] = [];
  const connect = (): Redis => {
    const c = createRedisConnection(config);
    connections.push(c);
    return c;
  };

  const prisma: PrismaClient = createPrismaClient(config.DATABASE_URL, {
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  });
  const store = tracedStore(createObjectStoreFromEnv(config));
  const givenModels = opts.models ?? (opts.model ? [opts.model] : null);
  const given: Engine[] | null = opts.engine
    ? [opts.engine]
    : givenModels
      ? givenModels.map((m) => new InlineEngine(m))
      : null;
  const serves = kindsNeedModel(kinds);
  // Installed models are checked before anything loads: a WORKER_MODELS typo fails at once, naming the installed ones.
  const engines: Engine[] = !serves ? [] : (given ?? (await startServedEngines(config, log)));
  const ownEngines = serves && !given;
  const queues = workerQueueNames(
    kinds,
    engines.map((e) => e.modelName),
  );
  const scratch = `${config.WORKER_SCRATCH_DIR}/${workerId}`;
  await mkdir(scratch, { recursive: true });
  const videos = new VideoCache(store, scratch, config.WORKER_SCRATCH_MAX_BYTES);
  await videos.init();
  const redis = connect();
  const cancels = await CancelWatcher.start(connect(), redis, log);
  const stats = new WorkerStats();
  const metrics = new WorkerMetrics();
  metrics.watchEngines(engines);
  let stopping = false;
  const ctx: WorkerContext = {
    config: { ...config, WORKER_SCRATCH_DIR: scratch },
    workerId,
    log,
    prisma,
    store,
    redis,
    engine: null,
    checkpointEncoder: new CheckpointEncoder({
      nice: config.CHECKPOINT_ENCODER_NICE,
      onFallback: (reason) => log.warn({ reason }, 'checkpoint encoder thread unavailable; encoding on the libuv pool'),
    }),
    videos,
    cancels,
    stats,
    metrics,
    queues: {
      export: new Queue(QUEUES.export, { connection: connect(), ...prefix }),
      webhook: new Queue(QUEUES.webhook, { connection: connect(), ...prefix }),
    },
    isStopping: () => stopping,
  };

  const heartbeat = new Heartbeat(
    {
      prisma,
      workerId,
      startedAt,
      engines,
      queues,
      stats,
      metrics,
      gpus: new GpuSampler(log, config.WORKER_NVIDIA_SMI),
      log,
    },
    config.WORKER_HEARTBEAT_MS,
  );
  await heartbeat.start();
  const reconciler = new QueueReconciler({
    prisma,
    connection: connect(),
    ...prefix,
    intervalMs: config.RECONCILE_INTERVAL_MS,
    graceMs: config.RECONCILE_GRACE_MS,
    webhook: { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_BACKOFF_MS },
    log: log.child({ component: 'reconciler' }),
  });
  if (kinds.includes(QUEUES.segment)) reconciler.start();
  const metricsServer =
    config.WORKER_METRICS_PORT > 0 ? await metrics.listen(config.WORKER_METRICS_PORT, config.METRICS_HOST) : null;

  // Each served model's preview queue: the API's interactive previews, answered on that model's engine.
  const previews = kinds.includes(QUEUES.preview)
    ? engines.map((e) => ({ engine: e, ...previewConsumer(ctx, e) }))
    : [];
  // Each served model's segment queue takes one job per free slot, in BullMQ priority order (the API's
  // fairPriority): no prefetching, no re-prioritising, no grouping, so tenant fairness is decided by the queue alone.
  const processors = new Map<string, { processor: Processor; concurrency: number }>([
    ...previews.map(
      (p) =>
        [previewQueueName(p.engine.modelName), { processor: p.processor, concurrency: PREVIEW_CONCURRENCY }] as const,
    ),
    ...engines.map(
      (e) =>
        [
          segmentQueueName(e.modelName),
          { processor: segmentProcessor({ ...ctx, engine: e }), concurrency: config.WORKER_CONCURRENCY },
        ] as const,
    ),
    [QUEUES.ingest, { processor: ingestProcessor(ctx), concurrency: 2 }],
    [QUEUES.export, { processor: exportProcessor(ctx), concurrency: 1 }],
    [QUEUES.webhook, { processor: webhookProcessor(ctx), concurrency: 8 }],
  ]);
  const workers = queues.map((name) => {
    const { processor, concurrency } = processors.get(name)!;
    const w = new Worker(name, instrumented(name, processor, metrics), {
      connection: connect(),
      ...prefix,
      concurrency,
      stalledInterval: opts.stalledIntervalMs ?? config.WORKER_STALLED_INTERVAL_MS,
      lockDuration: config.WORKER_LOCK_DURATION_MS,
    });
    w.on('failed', (job, err) => log.debug({ queue: name, bullJobId: job?.id, err: err.message }, 'bull job failed'));
    w.on('error', (err) => log.error({ queue: name, err }, 'bullmq worker error'));
    return w;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  metrics.setHealth({
    live: () => heartbeat.lastAttemptAgeMs() < MISSED_HEARTBEATS * config.WORKER_HEARTBEAT_MS,
    ready: () => !stopping && heartbeat.lastWrittenAgeMs() < MISSED_HEARTBEATS * config.WORKER_HEARTBEAT_MS,
  });
  const sweeper = new RetentionSweeper(config, {
    prisma,
    redis: connect(),
    store,
    log: log.child({ component: 'retention' }),
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
  });
  sweeper.start();
  log.info(
    {
      queues,
      device: engines[0]?.device ?? null,
      models: engines.map((e) => e.modelName),
      engine: engines[0]?.kind ?? null,
      concurrency: config.WORKER_CONCURRENCY,
    },
    'worker started',
  );

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      log.info('worker stopping');
      await sweeper.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(previews.map((p) => p.close()));
      await reconciler.close();
      await heartbeat.stop().catch((err: unknown) => log.warn({ err }, 'final heartbeat failed'));
      await cancels.close();
      await Promise.all([ctx.queues.export.close(), ctx.queues.webhook.close()]);
      await new Promise<void>((r) => (metricsServer ? metricsServer.close(() => r()) : r()));
      await videos.clear().catch(() => undefined);
      await ctx.checkpointEncoder.close();
      if (ownEngines) await Promise.all(engines.map((e) => e.close()));
      await prisma.$disconnect();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      log.info('worker stopped');
    })();
    return closing;
  };
  return { id: workerId, ctx, reconciler, metricsServer, close };
}

/** WORKER_MODELS (default: the deployment's default model) from the installed models, started one after another. */
async function startServedEngines(config: MaskletConfig, log: Logger): Promise<Engine[]> {
  const wanted = workerModels(loadModelRegistry(config), config.WORKER_MODELS);
  const out: Engine[] = [];
  try {
    for (const m of wanted) out.push(await startWorkerEngine(config, m.manifestPath, log.child({ model: m.name })));
  } catch (err) {
    await Promise.all(out.map((e) => e.close()));
    throw err;
  }
  return out;
}
