// Redis losing the segment queue (restarted empty, failover): Postgres still owes the work, the
// worker's reconciler re-adds it, and the masks are byte-identical to an undisturbed run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeChunk } from '@masklet/masklets';
import { QUEUES, segmentJobId } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedModel, skip, testClip, waitFor, type TestEnv } from '../worker/support';

const FRAMES = 48;
const GRACE_MS = 1500;

describe('faults: segment queue entries lost in Redis', { skip }, () => {
  let env: TestEnv;
  let worker: WorkerHandle;

  before(async () => {
    env = await createTestEnv({ CHUNK_FRAMES: '8', RECONCILE_INTERVAL_MS: '300', RECONCILE_GRACE_MS: String(GRACE_MS) });
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  });
  after(async () => {
    await worker?.close();
    await env?.close();
  });

  /** Every frame's RLE per object, in frame order: what "identical masks" compares. */
  async function masks(jobId: string): Promise<string[]> {
    const rows = await env.prisma.maskletChunk.findMany({ where: { jobId, round: 1 }, orderBy: { startFrame: 'asc' } });
    const out: string[] = [];
    for (const r of rows) {
      for (const f of decodeChunk(await env.store.getBuffer(r.s3Key)).frames) {
        for (const o of f.objects) out.push(`${f.frame}/${o.objectId}:${JSON.stringify(o.rle)}`);
      }
    }
    return out;
  }

  async function finished(jobId: string) {
    return waitFor('job finished', async () => {
      const j = await env.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status) ? j : null;
    }, 120_000, 200);
  }

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
    const queue = env.queue(QUEUES.segment);
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
    await waitFor('job running with frames done', async () => {
      const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
      return j.status === 'RUNNING' && j.framesDone > 0;
    }, 60_000, 20);
    // What a Redis restarted without its AOF leaves: no entry, no lock, no queue keys.
    await env.queue(QUEUES.segment).obliterate({ force: true });
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.deepEqual(await masks(seeded.jobId), reference);
    const chunks = await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId, round: 1 } });
    assert.equal(chunks, FRAMES / 8, 'one chunk row per chunk: nothing duplicated');
  });
});
