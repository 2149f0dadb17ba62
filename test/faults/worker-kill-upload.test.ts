// A worker process SIGKILLed in the middle of writing a mask chunk: S3 has stored the chunk object, the
// worker never heard so and recorded no row for it. A second worker takes the job over once the lock lapses;
// the chunk is written again under the same key (overwriting, not adding), every frame range has exactly
// one row, S3 holds exactly the chunks the rows name, and the masks equal an undisturbed run's, RLE for RLE.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedisConnection, fairPriority, segmentJobId, segmentJobOptions, segmentQueueName } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import {
  createTestEnv,
  seedJob,
  sharedModel,
  skip,
  testClip,
  waitFor,
  type SeededJob,
  type TestEnv,
} from '../worker/support';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import { startS3Tap, type S3Tap } from './s3-tap';
import { jobFinished, jobMasks } from './support';

const ROOT = resolve(__dirname, '..', '..');
const FRAMES = 64;
const LOCK = { WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000' };

describe('faults: worker SIGKILL mid-upload', { skip }, () => {
  let redis: PrivateRedis;
  let env: TestEnv;
  let tap: S3Tap;
  let child: ChildProcess | null = null;
  let worker: WorkerHandle | null = null;
  let queue: Queue;
  let connection: Redis;

  before(async () => {
    redis = await startPrivateRedis();
    // The child worker uses BullMQ's default prefix, so everything here does, on a Redis of this test's own.
    env = await createTestEnv({ REDIS_URL: redis.url, ...LOCK });
    connection = createRedisConnection(env.config);
    queue = new Queue(segmentQueueName('masklet-reference'), { connection });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await worker?.close();
    await queue?.close();
    connection?.disconnect();
    await tap?.close();
    await env?.close();
    await redis?.stop();
  });

  /** A worker process whose S3 traffic passes through `tap`. */
  function spawnWorker(queues: string): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.config.DATABASE_URL,
        REDIS_URL: env.config.REDIS_URL,
        S3_ENDPOINT: tap.endpoint,
        WORKER_SCRATCH_DIR: env.config.WORKER_SCRATCH_DIR,
        WORKER_METRICS_PORT: '0',
        WORKER_QUEUES: queues,
        CHUNK_FRAMES: String(env.config.CHUNK_FRAMES),
        LOG_LEVEL: 'error',
        ...LOCK,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  /** SIGKILLs the child once the tapped request is stored; answers the S3 key it wrote. */
  async function killOnceStored(): Promise<string> {
    const path = await tap.stored;
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
    child = null;
    await tap.close();
    return decodeURIComponent(path.split('?')[0]!.replace(/^\/[^/]+\//, ''));
  }

  async function enqueue(seeded: SeededJob): Promise<void> {
    const payload = { jobId: seeded.jobId, tenantId: seeded.tenantId, round: 1 };
    await queue.add('segment', payload, segmentJobOptions(segmentJobId(seeded.jobId, 1), fairPriority(0, 5)));
  }

  test('the chunk stored before the kill is overwritten by the retry: one row per range, no stray objects, identical masks', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-worker-kill-upload');
    const seeded = await seedJob(env, clip);
    // The second mask chunk of round 1: the first is stored and recorded, the second stored but not recorded.
    let chunkPuts = 0;
    tap = await startS3Tap(env.config.S3_ENDPOINT!, (req) => {
      if (req.method !== 'PUT' || !/\/jobs\/[^/]+\/rounds\/1\/masklets\//.test(req.url ?? '')) return false;
      return ++chunkPuts === 2;
    });
    child = spawnWorker('segment');
    await enqueue(seeded);
    const storedKey = await killOnceStored();
    const stray = await env.store.head(storedKey);
    assert.ok(stray, `the chunk ${storedKey} reached S3 before the kill`);
    const atKill = await env.prisma.maskletChunk.findMany({ where: { jobId: seeded.jobId } });
    assert.equal(atKill.length, 1, 'only the first chunk was recorded');
    assert.ok(!atKill.some((c) => c.s3Key === storedKey), 'the stored chunk has no row yet');
    assert.equal((await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).status, 'RUNNING');

    worker = await startWorker(env.config, { model: await sharedModel(), queues: ['segment', 'export'] });
    const done = await jobFinished(env, seeded.jobId, 180_000);
    assert.equal(done.status, 'SUCCEEDED', `${done.errorCode}: ${done.error}`);
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);

    const chunks = await env.prisma.maskletChunk.findMany({
      where: { jobId: seeded.jobId },
      orderBy: { startFrame: 'asc' },
    });
    let next = 0;
    for (const ch of chunks) {
      assert.equal(ch.startFrame, next, 'one row per frame range: no gaps, no duplicates');
      next = ch.endFrame;
      const bytes = await env.store.getBuffer(ch.s3Key);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), ch.sha256, `chunk ${ch.startFrame} intact`);
    }
    assert.equal(next, FRAMES);
    assert.ok(
      chunks.some((c) => c.s3Key === storedKey),
      'the retry wrote the same key',
    );
    const objects = (await env.store.list(`tenants/${seeded.tenantId}/jobs/${seeded.jobId}/`)).filter((k) =>
      k.includes('/masklets/'),
    );
    assert.deepEqual(objects.sort(), chunks.map((c) => c.s3Key).sort(), 'S3 holds exactly the recorded chunks');

    const reference = await seedJob(env, clip);
    await enqueue(reference);
    assert.equal((await jobFinished(env, reference.jobId, 120_000)).status, 'SUCCEEDED');
    const masks = await jobMasks(env, seeded.jobId);
    assert.ok(masks.length >= FRAMES, `${masks.length} masks`);
    assert.deepEqual(masks, await jobMasks(env, reference.jobId), 'masks identical to an undisturbed run');
  });

  test('killed while writing an export: the export is written again under its key, each SUCCEEDED once and intact, no stray objects', async () => {
    const seeded = await seedJob(env, await testClip(16, 2, 'faults-worker-kill-export'), {
      options: { outputs: ['coco_json', 'davis_png_zip'] },
    });
    tap = await startS3Tap(
      env.config.S3_ENDPOINT!,
      (req) => req.method === 'PUT' && /\/jobs\/[^/]+\/rounds\/1\/exports\//.test(req.url ?? ''),
    );
    await worker?.close();
    worker = null;
    child = spawnWorker('segment,export');
    await enqueue(seeded);
    const storedKey = await killOnceStored();
    assert.ok(await env.store.head(storedKey), `the export ${storedKey} reached S3 before the kill`);
    const atKill = await env.prisma.export.findMany({ where: { jobId: seeded.jobId } });
    assert.ok(!atKill.some((e) => e.s3Key === storedKey && e.status === 'SUCCEEDED'), 'recorded no export for it');

    worker = await startWorker(env.config, { model: await sharedModel(), queues: ['segment', 'export'] });
    const exports = await waitFor(
      'both exports finished',
      async () => {
        const rows = await env.prisma.export.findMany({ where: { jobId: seeded.jobId } });
        return rows.length === 2 && rows.every((r) => r.status === 'SUCCEEDED' || r.status === 'FAILED') ? rows : null;
      },
      120_000,
      200,
    );
    for (const e of exports) {
      assert.equal(e.status, 'SUCCEEDED', `${e.kind}: ${e.error}`);
      const bytes = await env.store.getBuffer(e.s3Key!);
      assert.equal(bytes.length, Number(e.bytes));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), e.sha256, `${e.kind} intact`);
    }
    assert.ok(
      exports.some((e) => e.s3Key === storedKey),
      'the retry wrote the same key',
    );
    const objects = (await env.store.list(`tenants/${seeded.tenantId}/jobs/${seeded.jobId}/`)).filter((k) =>
      k.includes('/exports/'),
    );
    assert.deepEqual(objects.sort(), exports.map((e) => e.s3Key!).sort(), 'S3 holds exactly the recorded exports');
    assert.equal((await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).status, 'SUCCEEDED');
  });
});
