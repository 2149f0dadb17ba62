// A real Redis process killed and restarted empty (no AOF) while a job runs: the worker reconnects, the
// reconciler re-adds what Postgres owes, and the masks equal an undisturbed run's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enqueueSegment, seedJob, skip, testClip, type TestEnv } from '../worker/support';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import { jobFinished, jobMasks, jobRunning, startSegmentRig, undisturbedMasks, type SegmentRig } from './support';

const FRAMES = 48;

describe('faults: Redis restarted empty mid-job', { skip }, () => {
  let redis: PrivateRedis;
  let rig: SegmentRig;
  let env: TestEnv;

  before(async () => {
    redis = await startPrivateRedis();
    rig = await startSegmentRig({
      REDIS_URL: redis.url,
      CHUNK_FRAMES: '8',
      RECONCILE_INTERVAL_MS: '300',
      RECONCILE_GRACE_MS: '1000',
    });
    env = rig.env;
  });
  after(async () => {
    await rig?.close();
    await redis?.stop();
  });

  test('the job SUCCEEDS once, with masks identical to an undisturbed run', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-redis-restart');
    const reference = await undisturbedMasks(env, clip);

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
