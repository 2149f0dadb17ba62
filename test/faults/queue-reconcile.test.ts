// Redis losing the segment queue (restarted empty, failover): Postgres still owes the work, the
// worker's reconciler re-adds it, and the masks are byte-identical to an undisturbed run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentJobId, segmentQueueName } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedModel, skip, testClip, type TestEnv } from '../worker/support';
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
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  });
  after(async () => {
    await worker?.close();
    await env?.close();
  });

  const masks = (jobId: string) => jobMasks(env, jobId);
  const finished = (jobId: string) => jobFinished(env, jobId);

  let reference: string[] = [];
  const clipSeed = 'faults-reconcile';

  test('undisturbed run (the reference masks)', async () => {
    const seeded = await seedJob(env, await testClip(FRAMES, 2, clipSeed));
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    reference = await masks(seeded.jobId);
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
});
