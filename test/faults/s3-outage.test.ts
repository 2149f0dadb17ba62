// S3 unreachable for 15 s while a job writes its masks: the worker delays the job (infrastructure, no
// attempt used) until S3 answers, and the masks equal an undisturbed run's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { enqueueSegment, seedJob, skip, testClip, type TestEnv } from '../worker/support';
import { startPrivateS3, type PrivateS3 } from './private-s3';
import { jobFinished, jobMasks, jobRunning, startSegmentRig, undisturbedMasks, type SegmentRig } from './support';

const FRAMES = 48;
const OUTAGE_MS = 15_000;

describe('faults: S3 down for 15 s mid-job', { skip }, () => {
  let s3: PrivateS3;
  let rig: SegmentRig;
  let env: TestEnv;

  before(async () => {
    s3 = await startPrivateS3(process.env.S3_BUCKET ?? 'masklet');
    rig = await startSegmentRig({ S3_ENDPOINT: s3.endpoint, S3_REQUEST_TIMEOUT_MS: '2000', CHUNK_FRAMES: '8' });
    env = rig.env;
  });
  after(async () => {
    await rig?.close();
    await s3?.stop();
  });

  test('the job SUCCEEDS after the outage with identical masks, without failing or using up its attempts', async () => {
    const clip = await testClip(FRAMES, 2, 'faults-s3');
    const reference = await undisturbedMasks(env, clip);

    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);
    await jobRunning(env, seeded.jobId);
    await s3.kill();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    const during = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
    assert.ok(
      during.status === 'QUEUED' || during.status === 'RUNNING',
      `still owed during the outage, was ${during.status} ${during.errorCode}`,
    );
    assert.doesNotMatch(during.error ?? '', /127\.0\.0\.1|ECONN/, 'no driver message in a tenant-visible field');
    await s3.start();
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
