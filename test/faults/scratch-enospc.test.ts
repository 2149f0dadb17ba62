// The worker's scratch filesystem really full: a tmpfs of 1 MiB filled to the last page, so caching the
// video fails with ENOSPC from the kernel (no WORKER_SCRATCH_MAX_BYTES budget in play). Each attempt fails
// with scratch_full and leaves no partial file; once room frees the retry succeeds with the masks of an
// undisturbed run, and a disk that stays full fails the job with scratch_full when its attempts run out.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SEGMENT_ATTEMPTS } from '@masklet/queue';
import type { WorkerHandle } from '../../apps/worker/src/worker';
import { enqueueSegment, seedJob, skip, testClip, waitFor, type TestEnv } from '../worker/support';
import { mountSmallFs, smallFsSkip, type SmallFs } from './small-fs';
import { jobFinished, jobMasks, startSegmentRig, type SegmentRig } from './support';

describe('faults: scratch filesystem out of space (ENOSPC)', { skip: skip || smallFsSkip }, () => {
  let rig: SegmentRig;
  let env: TestEnv;
  let fs: SmallFs;
  let worker: WorkerHandle;

  before(async () => {
    fs = mountSmallFs(1024 * 1024);
    rig = await startSegmentRig({ WORKER_SCRATCH_DIR: fs.dir });
    ({ env, worker } = rig);
  });
  after(async () => {
    await rig?.close();
    await fs?.unmount();
  });

  const videosDir = () => join(worker.ctx.config.WORKER_SCRATCH_DIR, 'videos');

  test('ENOSPC while caching the video: scratch_full, no partial file; after room frees the retry succeeds with undisturbed masks', async () => {
    const clip = await testClip(16, 1, 'faults-enospc');
    const filled = await fs.fill();
    assert.ok(filled > 512 * 1024, `filler took ${filled} bytes`);
    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);

    const retrying = await waitFor(
      'the first attempt failing with scratch_full',
      async () => {
        const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
        return j.errorCode === 'scratch_full' ? j : null;
      },
      30_000,
      50,
    );
    assert.notEqual(retrying.status, 'FAILED', 'a full disk is retried, not failed at once');
    assert.match(retrying.error ?? '', /scratch disk full/);
    assert.deepEqual(await readdir(videosDir()), [], 'no partial download left in scratch');

    await fs.free();
    const done = await jobFinished(env, seeded.jobId, 60_000);
    assert.equal(done.status, 'SUCCEEDED', `${done.errorCode}: ${done.error}`);
    assert.ok(done.attempts >= 2, `attempts ${done.attempts}`);

    const reference = await seedJob(env, clip);
    await enqueueSegment(env, reference);
    assert.equal((await jobFinished(env, reference.jobId, 60_000)).status, 'SUCCEEDED');
    const masks = await jobMasks(env, seeded.jobId);
    assert.equal(masks.length, 16);
    assert.deepEqual(masks, await jobMasks(env, reference.jobId), 'masks identical to an undisturbed run');
  });

  test('a scratch filesystem that stays full fails the job with scratch_full once its attempts are spent, nothing half-written', async () => {
    await worker.ctx.videos.clear();
    await fs.fill();
    const seeded = await seedJob(env, await testClip(16, 1, 'faults-enospc'));
    const t0 = performance.now();
    await enqueueSegment(env, seeded);
    const job = await jobFinished(env, seeded.jobId, 90_000);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'scratch_full');
    assert.match(job.error ?? '', /scratch disk full/);
    assert.equal(job.attempts, SEGMENT_ATTEMPTS);
    assert.ok(performance.now() - t0 < 60_000, 'fails within its backoff, no hang');
    assert.deepEqual(await readdir(videosDir()), [], 'no partial download left in scratch');
    assert.equal(await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId } }), 0);
    await fs.free();
  });
});
