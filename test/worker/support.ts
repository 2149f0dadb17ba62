// Shared set-up of the worker tests: real Postgres (a fresh migrated database per file), Redis
// (a BullMQ prefix per file), S3 (s3rver), ffmpeg and onnxruntime. DATABASE_URL / REDIS_URL / S3_*
// come from `node scripts/test.mjs` (which starts the services) or, when run directly with
// `node --import tsx --test`, from .tmp/services/env written by `node scripts/services.mjs up`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, dropDatabase, migrate, type PrismaClient } from '@masklet/db';
import { parseProviders, SamModel } from '@masklet/engine';
import { readMaskPng } from '@masklet/masks';
import { videoKey } from '@masklet/masklets';
import {
  createRedisConnection,
  fairPriority,
  segmentJobId,
  segmentJobOptions,
  segmentQueueName,
  type QueueName,
} from '@masklet/queue';
import { createObjectStoreFromEnv, type S3ObjectStore } from '@masklet/storage';
import { writeSyntheticClip, type SyntheticClipResult } from '@masklet/video';
import { ThreadEngine } from '../../apps/worker/src/engine/thread-engine';
import { createLogger } from '../../apps/worker/src/runtime/logger';
import { ensureModel } from '../../models/generator/ensure-model';

const ROOT = resolve(__dirname, '..', '..');

function loadServicesEnv(): void {
  if (process.env.DATABASE_URL && process.env.REDIS_URL && process.env.S3_ENDPOINT) return;
  const file = join(ROOT, '.tmp', 'services', 'env');
  if (!existsSync(file)) return;
  for (const m of readFileSync(file, 'utf8').matchAll(/^export (\w+)='([^']*)'$/gm)) process.env[m[1]!] ??= m[2]!;
}
loadServicesEnv();

const missingServices =
  process.env.DATABASE_URL && process.env.REDIS_URL && process.env.S3_ENDPOINT
    ? false
    : 'services not configured (run through `node scripts/test.mjs` or `node scripts/services.mjs up`)';
// CI (.ci/run) provisions every service: there a suite that would skip (the fault suite among them) fails instead.
if (missingServices && process.env.CI) throw new Error(`CI: ${missingServices}`);
export const skip = missingServices;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface TestEnv {
  config: MaskletConfig;
  prisma: PrismaClient;
  store: S3ObjectStore;
  prefix: string;
  queue(name: QueueName): Queue;
  scratch: string;
  close(): Promise<void>;
}

/** A fresh migrated database, its own BullMQ prefix and scratch dir; `close` drops them. */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const dbName = `masklet_wt_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${dbName}"`);
  const databaseUrl = withDatabase(process.env.DATABASE_URL!, dbName);
  await migrate({ databaseUrl, migrationsDir: join(ROOT, 'prisma', 'migrations'), log: () => undefined });
  const scratch = await mkdtemp(join(tmpdir(), 'masklet-worker-test-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    WORKER_METRICS_PORT: '0',
    API_METRICS_PORT: '0',
    WORKER_HEARTBEAT_MS: '300',
    WORKER_SCRATCH_DIR: scratch,
    CHUNK_FRAMES: '16',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_BACKOFF_MS: '200',
    WEBHOOK_ATTEMPTS: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...overrides,
  });
  const prisma = createPrismaClient(databaseUrl);
  const store = createObjectStoreFromEnv(config);
  await store.ensureBucket();
  const prefix = `mwt-${randomBytes(3).toString('hex')}`;
  const queues = new Map<QueueName, Queue>();
  const connection = createRedisConnection(config);
  return {
    config,
    prisma,
    store,
    prefix,
    scratch,
    queue(name) {
      let q = queues.get(name);
      if (!q) queues.set(name, (q = new Queue(name, { connection, prefix })));
      return q;
    },
    async close() {
      for (const q of queues.values()) {
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await connection.quit();
      await prisma.$disconnect();
      await dropDatabase(process.env.DATABASE_URL!, dbName);
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

let modelPromise: Promise<SamModel> | null = null;
/** One reference model per test process, shared by every worker the tests start. */
export function sharedModel(): Promise<SamModel> {
  modelPromise ??= ensureModel('reference').then((m) =>
    SamModel.load(m, { runtime: { providers: parseProviders(process.env.MASKLET_PROVIDERS) } }),
  );
  return modelPromise;
}

let enginePromise: Promise<ThreadEngine> | null = null;
/** One engine thread (reference model) per test process, shared by the workers that run the engine as deployed. */
export function sharedEngine(): Promise<ThreadEngine> {
  enginePromise ??= ensureModel('reference').then((manifestPath) =>
    ThreadEngine.start({
      manifestPath,
      runtime: { providers: parseProviders(process.env.MASKLET_PROVIDERS) },
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test-engine'),
    }),
  );
  return enginePromise;
}

/**
 * A second installed model for routing tests: the reference graphs copied beside a manifest of another
 * name (real graphs, so a worker can load and run it). Returns its manifest path.
 */
export async function referenceVariant(name: string): Promise<string> {
  const source = await ensureModel('reference');
  const dir = join(ROOT, '.tmp', 'test-models', name);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dirname(source)).filter((f) => f.endsWith('.onnx')))
    copyFileSync(join(dirname(source), f), join(dir, f));
  const manifest = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, name }, null, 2)}\n`);
  return join(dir, 'manifest.json');
}

const clips = new Map<string, Promise<SyntheticClipResult>>();
/** A small synthetic clip with exactly known masks, generated once per process. */
export function testClip(frames = 48, objects = 2, seed = 'worker-test'): Promise<SyntheticClipResult> {
  const key = `${frames}-${objects}-${seed}`;
  let p = clips.get(key);
  if (!p) {
    p = writeSyntheticClip({
      outDir: join(ROOT, '.tmp', 'worker-test-clips', key),
      frames,
      width: 320,
      height: 240,
      seed,
      mp4: true,
      frameFiles: false,
      scenario: { objects },
    });
    clips.set(key, p);
  }
  return p;
}

export async function truthMask(clip: SyntheticClipResult, objectId: number, frame: number): Promise<Uint8Array> {
  const png = readMaskPng(
    await readFile(join(clip.masksDir, String(objectId), `${String(frame).padStart(5, '0')}.png`)),
  );
  return png.labels;
}

export interface SeededJob {
  tenantId: string;
  videoId: string;
  jobId: string;
  webhookSecret: string;
  model: string;
}

/** Rows as the API would create them: tenant, uploaded video, job with one click per object on the first frame. */
export async function seedJob(
  env: TestEnv,
  clip: SyntheticClipResult,
  opts: { options?: object; webhookUrl?: string; promptFrame?: number; model?: string } = {},
): Promise<SeededJob> {
  const webhookSecret = randomBytes(16).toString('hex');
  const tenant = await env.prisma.tenant.create({ data: { name: `t-${randomUUID()}`, webhookSecret } });
  const videoId = randomUUID();
  const key = videoKey(tenant.id, videoId);
  const body = await readFile(clip.mp4Path!);
  await env.store.putBuffer(key, body, 'video/mp4');
  const { meta } = clip;
  await env.prisma.video.create({
    data: {
      id: videoId,
      tenantId: tenant.id,
      s3Key: key,
      filename: 'clip.mp4',
      contentType: 'video/mp4',
      sizeBytes: BigInt(body.length),
      fps: meta.fps,
      width: meta.width,
      height: meta.height,
      frameCount: meta.frames,
      status: 'READY',
    },
  });
  const frame = opts.promptFrame ?? 0;
  const job = await env.prisma.job.create({
    data: {
      tenantId: tenant.id,
      videoId,
      model: opts.model ?? 'masklet-reference',
      options: opts.options ?? {},
      webhookUrl: opts.webhookUrl ?? null,
      objects: { create: meta.objects.map((o) => ({ objectId: o.id })) },
      prompts: {
        create: meta.objects.map((o) => {
          const [x, y] = o.clicks[frame]!;
          return { round: 1, objectId: o.id, frame, kind: 'POINTS' as const, points: [[x, y, 1]] };
        }),
      },
      rounds: {
        create: { number: 1, direction: (opts.options as { direction?: string } | undefined)?.direction ?? 'forward' },
      },
    },
  });
  return { tenantId: tenant.id, videoId, jobId: job.id, webhookSecret, model: job.model };
}

/** Adds the segment job the way the API does (its model's queue, database id as BullMQ id, fair priority, retries). */
export async function enqueueSegment(env: TestEnv, seeded: SeededJob): Promise<void> {
  const jobId = segmentJobId(seeded.jobId, 1);
  await env
    .queue(segmentQueueName(seeded.model))
    .add(
      'segment',
      { jobId: seeded.jobId, tenantId: seeded.tenantId, round: 1 },
      segmentJobOptions(jobId, fairPriority(0, 5)),
    );
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ? 1 : 0;
    const y = b[i] ? 1 : 0;
    inter += x & y;
    union += x | y;
  }
  return union === 0 ? 1 : inter / union;
}

/** Waits until an API process on `port` answers /readyz. */
export function apiReady(port: number) {
  return waitFor(
    'API ready',
    () =>
      fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ),
    60_000,
    250,
  );
}
