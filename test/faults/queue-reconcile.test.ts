// Redis losing the segment queue (restarted empty, failover): Postgres still owes the work, the
// worker's reconciler re-adds it, and the masks are byte-identical to an undisturbed run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJobId, QUEUES, segmentJobId, segmentQueueName, webhookJobId } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import {
  createTestEnv,
  enqueueSegment,
  seedJob,
  sharedModel,
  skip,
  testClip,
  waitFor,
  type TestEnv,
} from '../worker/support';
import { jobFinished, jobMasks, jobRunning } from './support';

const FRAMES = 48;
const GRACE_MS = 1500;

describe('faults: segment queue entries lost in Redis', { skip }, () => {
  let env: TestEnv;
  let worker: WorkerHandle;

  before(async () => {
    env = await createTestEnv({
      CHUNK_FRAMES: '8',
      RECONCILE_INTERVAL_MS: '300',
      RECONCILE_GRACE_MS: String(GRACE_MS),
    });
    worker = await startWorker(env.config, {
      model: await sharedModel(),
      prefix: env.prefix,
      queues: ['segment', 'export', 'webhook'],
    });
  });
  after(async () => {
    await worker?.close();
    await env?.close();
  });

  const masks = (jobId: string) => jobMasks(env, jobId);
  const finished = (jobId: string) => jobFinished(env, jobId);

  let reference: string[] = [];
  let referenceJobId = '';
  const clipSeed = 'faults-reconcile';

  test('undisturbed run (the reference masks)', async () => {
    const seeded = await seedJob(env, await testClip(FRAMES, 2, clipSeed));
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    reference = await masks(seeded.jobId);
    referenceJobId = seeded.jobId;
    assert.equal(reference.length, FRAMES * 2);
  });

  test('a QUEUED job BullMQ never held is left alone within the grace period, then re-added once and run', async () => {
    const seeded = await seedJob(env, await testClip(FRAMES, 2, clipSeed));
    const queue = env.queue(segmentQueueName('masklet-reference'));
    assert.equal(await worker.reconciler.reconcileOnce(), 0, 'a row younger than the grace period may be mid-enqueue');
    assert.equal(await queue.getJob(segmentJobId(seeded.jobId, 1)), undefined);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.equal(job.attempts, 1, 'run exactly once');
    assert.deepEqual(await masks(seeded.jobId), reference);
    assert.equal(await worker.reconciler.reconcileOnce(), 0, 'a finished job is never re-added');
  });

  test('the queue wiped while the job runs: the lost entry is not a failure, the job is re-added and its masks match', async () => {
    const seeded = await seedJob(env, await testClip(FRAMES, 2, clipSeed));
    await enqueueSegment(env, seeded);
    await jobRunning(env, seeded.jobId);
    // What a Redis restarted without its AOF leaves: no entry, no lock, no queue keys.
    await env.queue(segmentQueueName('masklet-reference')).obliterate({ force: true });
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.deepEqual(await masks(seeded.jobId), reference);
    const chunks = await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId, round: 1 } });
    assert.equal(chunks, FRAMES / 8, 'one chunk row per chunk: nothing duplicated');
  });

  test('an export and a webhook delivery whose entries Redis lost are re-added once and run once', async () => {
    const posts: { event: unknown; jobId: unknown }[] = [];
    const listener = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { event: unknown; jobId: unknown };
        posts.push({ event: parsed.event, jobId: parsed.jobId });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/hook`;
      // Rows the API and worker committed whose queue entries went with Redis: nothing in BullMQ holds them.
      const exp = await env.prisma.export.create({ data: { jobId: referenceJobId, round: 1, kind: 'COCO_JSON' } });
      const hook = await env.prisma.webhookDelivery.create({
        data: { jobId: referenceJobId, event: 'job.succeeded', url },
      });
      assert.equal(await env.queue(QUEUES.export).getJob(exportJobId(exp.id)), undefined);
      assert.equal(await env.queue(QUEUES.webhook).getJob(webhookJobId(hook.id)), undefined);
      const done = await waitFor(
        'export and delivery finished',
        async () => {
          const [e, h] = await Promise.all([
            env.prisma.export.findUniqueOrThrow({ where: { id: exp.id } }),
            env.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: hook.id } }),
          ]);
          return e.status !== 'QUEUED' && e.status !== 'RUNNING' && h.status !== 'PENDING' ? { e, h } : null;
        },
        60_000,
        100,
      );
      assert.equal(done.e.status, 'SUCCEEDED', done.e.error ?? '');
      assert.ok(Number(done.e.bytes) > 0 && done.e.s3Key, 'the export file is stored');
      const coco = JSON.parse((await env.store.getBuffer(done.e.s3Key)).toString('utf8')) as {
        images: unknown[];
        annotations: unknown[];
      };
      assert.equal(coco.images.length, FRAMES, "the job's frames");
      assert.ok(coco.annotations.length > 0, 'and its masks');
      assert.equal(done.h.status, 'DELIVERED');
      // Further passes find the finished rows and add nothing: one delivery, not one per pass.
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(await worker.reconciler.reconcileOnce(), 0);
      assert.deepEqual(posts, [{ event: 'job.succeeded', jobId: referenceJobId }]);
    } finally {
      await new Promise<void>((r) => listener.close(() => r()));
    }
  });
});
