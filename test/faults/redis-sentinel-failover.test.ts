// A Sentinel-managed Redis primary SIGKILLed while a job runs and another waits: the Sentinels promote a replica,
// the worker's connections (all from createRedisConnection with REDIS_SENTINELS) follow it, and both jobs end
// with masks identical to an undisturbed run. The waiting job's BullMQ entry is the one added before the kill
// (same timestamp), so the queue itself survived through replication rather than being rebuilt by the reconciler.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { segmentJobId, segmentQueueName } from '@masklet/queue';
import { enqueueSegment, seedJob, skip, testClip, type TestEnv } from '../worker/support';
import { MASTER_NAME, startSentinelSet, type SentinelSet } from './private-sentinel';
import { jobFinished, jobMasks, jobRunning, startSegmentRig, undisturbedMasks, type SegmentRig } from './support';

const FRAMES = 32;
const CHUNK = 8;

describe('faults: Sentinel fails over the Redis primary mid-job', { skip }, () => {
  let set: SentinelSet;
  let rig: SegmentRig;
  let env: TestEnv;

  before(async () => {
    set = await startSentinelSet();
    rig = await startSegmentRig({
      // Sentinel mode: REDIS_URL's host is never dialled (an unresolvable name proves it), its database number is.
      REDIS_URL: 'redis://sentinel-mode.invalid:6379/0',
      REDIS_SENTINELS: set.sentinels,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      CHUNK_FRAMES: String(CHUNK),
      RECONCILE_INTERVAL_MS: '300',
      RECONCILE_GRACE_MS: '1000',
    });
    env = rig.env;
  });
  after(async () => {
    await rig?.close();
    await set?.stop();
  });

  test('the running and the queued job SUCCEED once each, masks identical, queue entries kept', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-sentinel');
    const reference = await undisturbedMasks(env, clip);
    assert.equal(reference.length, FRAMES * 2);

    const running = await seedJob(env, clip);
    const waiting = await seedJob(env, clip);
    await enqueueSegment(env, running);
    await enqueueSegment(env, waiting);
    await jobRunning(env, running.jobId);
    const queue = env.queue(segmentQueueName(waiting.model));
    const waitingEntry = await queue.getJob(segmentJobId(waiting.jobId, 1));
    assert.ok(waitingEntry, 'the waiting job is in BullMQ before the kill');

    const oldPrimary = await set.killPrimary();
    const framesAtKill = (await env.prisma.job.findUniqueOrThrow({ where: { id: running.jobId } })).framesDone;
    assert.ok(framesAtKill < FRAMES, `the primary died mid-job (${framesAtKill}/${FRAMES} frames done)`);
    const newPrimary = await set.failedOver(oldPrimary);
    assert.notEqual(newPrimary, oldPrimary);

    for (const seeded of [running, waiting]) {
      const job = await jobFinished(env, seeded.jobId);
      assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
      assert.equal(job.framesDone, FRAMES);
      assert.deepEqual(await jobMasks(env, seeded.jobId), reference);
      assert.equal(
        await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId, round: 1 } }),
        FRAMES / CHUNK,
        'nothing duplicated',
      );
    }

    // What the queue holds now lives on the promoted node, written through to a replica and to its AOF.
    const entry = await queue.getJob(segmentJobId(waiting.jobId, 1));
    assert.equal(entry?.timestamp, waitingEntry.timestamp, 'the queued entry was replicated, not re-added');
    assert.equal(await queue.getJobState(segmentJobId(running.jobId, 1)), 'completed');
    // The primary the Sentinels name now: a loaded machine may have failed over once more since.
    const admin = set.node(await set.primaryPort());
    assert.match(await admin.info('replication'), /^role:master\r?$/m);
    assert.match(await admin.info('persistence'), /^aof_enabled:1\r?$/m);
    assert.ok(
      Number(/^connected_slaves:(\d+)/m.exec(await admin.info('replication'))?.[1]) >= 1,
      'the promoted primary has a replica',
    );
  });
});
