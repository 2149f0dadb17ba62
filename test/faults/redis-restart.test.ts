// A real Redis process killed and restarted empty (no AOF) while a job runs: the worker reconnects, the
// reconciler re-adds what Postgres owes, and the masks equal an undisturbed run's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedModel, skip, testClip, type TestEnv } from '../worker/support';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import { jobFinished, jobMasks, jobRunning } from './support';

const FRAMES = 48;

describe('faults: Redis restarted empty mid-job', { skip }, () => {
  let redis: PrivateRedis;
  let env: TestEnv;
  let worker: WorkerHandle;

  before(async () => {
    redis = await startPrivateRedis();
    env = await createTestEnv({
      REDIS_URL: redis.url,
      CHUNK_FRAMES: '8',
      RECONCILE_INTERVAL_MS: '300',
      RECONCILE_GRACE_MS: '1000',
    });
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  });
  after(async () => {
    await worker?.close();
    await env?.close();
    await redis?.stop();
  });

  test('the job SUCCEEDS once, with masks identical to an undisturbed run', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-redis-restart');
    const undisturbed = await seedJob(env, clip);
    await enqueueSegment(env, undisturbed);
    assert.equal((await jobFinished(env, undisturbed.jobId)).status, 'SUCCEEDED');
    const reference = await jobMasks(env, undisturbed.jobId);

    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);
    await jobRunning(env, seeded.jobId);
    await redis.restartEmpty();
    const job = await jobFinished(env, seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.deepEqual(await jobMasks(env, seeded.jobId), reference);
    assert.equal(
      await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId, round: 1 } }),
      FRAMES / 8,
      'nothing duplicated',
    );
  });
});
