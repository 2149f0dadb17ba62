// A worker whose scratch budget cannot hold the video: the job fails at once with scratch_full (not an
// engine error after retries) and nothing half-written stays on disk; with room, the same job succeeds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker } from '../../apps/worker/src/worker';
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

describe('faults: scratch disk full', { skip }, () => {
  let env: TestEnv;

  before(async () => {
    env = await createTestEnv({ WORKER_SCRATCH_MAX_BYTES: '1024' });
  });
  after(async () => {
    await env?.close();
  });

  test("a video larger than WORKER_SCRATCH_MAX_BYTES fails the job with scratch_full, leaving no partial file; a killed worker's leftovers are removed at start", async () => {
    // What a SIGKILLed worker leaves in the scratch dir: a cached video and a half-written download.
    const leftovers = join(env.config.WORKER_SCRATCH_DIR, 'videos');
    await mkdir(leftovers, { recursive: true });
    await writeFile(join(leftovers, 'dead.video'), Buffer.alloc(4096));
    await writeFile(join(leftovers, 'dead.video.part-1'), Buffer.alloc(4096));
    const worker = await startWorker(env.config, {
      model: await sharedModel(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    try {
      const seeded = await seedJob(env, await testClip(16, 1, 'faults-scratch'));
      const t0 = performance.now();
      await enqueueSegment(env, seeded);
      const job = await waitFor(
        'job finished',
        async () => {
          const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
          return j.status === 'FAILED' || j.status === 'SUCCEEDED' ? j : null;
        },
        60_000,
        100,
      );
      assert.equal(job.status, 'FAILED');
      assert.equal(job.errorCode, 'scratch_full');
      assert.match(job.error ?? '', /WORKER_SCRATCH_MAX_BYTES/);
      assert.equal(job.attempts, 1, 'no retries of something retrying cannot fix');
      assert.ok(performance.now() - t0 < 30_000);
      const videos = join(worker.ctx.config.WORKER_SCRATCH_DIR, 'videos');
      assert.deepEqual(await readdir(videos), [], 'nothing written to scratch');
    } finally {
      await worker.close();
    }
  });
});
