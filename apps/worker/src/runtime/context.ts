import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { MaskletConfig } from '@masklet/config';
import type { PrismaClient } from '@masklet/db';
import type { CheckpointEncoder, SamModel } from '@masklet/engine';
import type { ObjectStore } from '@masklet/storage';
import type { SegmentEngine } from '../segment/segment-engine';
import type { CancelWatcher } from './cancel-watcher';
import type { Logger } from './logger';
import type { WorkerMetrics } from './metrics';
import type { VideoCache } from './video-cache';
import type { WorkerStats } from './worker-stats';

/** Everything a processor needs, built once by startWorker. */
export interface WorkerContext {
  config: MaskletConfig;
  workerId: string;
  log: Logger;
  prisma: PrismaClient;
  store: ObjectStore;
  /** Plain command connection (flags, not blocking). */
  redis: Redis;
  /** Null in processes that do not run the segment queue. */
  model: SamModel | null;
  /** What segment rounds run on: the model's ONNX engine; null where there is no model. */
  engine: SegmentEngine | null;
  /** Lays out and deflates checkpoint captures off the engine's path (a low-priority thread). */
  checkpointEncoder: CheckpointEncoder;
  videos: VideoCache;
  cancels: CancelWatcher;
  stats: WorkerStats;
  metrics: WorkerMetrics;
  /** Producers for follow-up work (exports and webhooks after a job). */
  queues: { export: Queue; webhook: Queue };
  /** True once close() started: long loops release their job at the next frame. */
  isStopping(): boolean;
}
