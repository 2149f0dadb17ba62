// A worker process SIGKILLed mid-job: another worker takes the job over once its lock lapses and the
// result has exactly one intact chunk per frame range, and masks identical (RLE) to an undisturbed run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { testClip } from '../worker/support';
import { diffMasks, toFrameMasks } from '../rounds/support';
import { clickJob, meanIouAgainstTruth, startStack, type Stack } from './stack';

const LOCK = { WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000' };
let stack: Stack;
let child: ChildProcess | null = null;
before(async () => {
  stack = await startStack(LOCK, false);
});
after(async () => {
  child?.kill('SIGKILL');
  await stack?.close();
});

function spawnWorker(): ChildProcess {
  const c = stack.config;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: c.DATABASE_URL,
    REDIS_URL: c.REDIS_URL,
    WORKER_SCRATCH_DIR: c.WORKER_SCRATCH_DIR,
    WORKER_METRICS_PORT: '0',
    CHUNK_FRAMES: String(c.CHUNK_FRAMES),
    LOG_LEVEL: 'warn',
    ...LOCK,
  };
  const root = resolve(__dirname, '..', '..');
  return spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

test('SIGKILL mid-job: the job completes elsewhere with no duplicate or corrupt chunks and masks identical to an undisturbed run', async () => {
  const clip = await testClip(96, 2, 'e2e-crash');
  const { client } = await stack.client('crash');
  const video = await client.uploadVideo(clip.mp4Path!);
  child = spawnWorker();
  const job = await client.createJob(clickJob(video.id, clip));

  const deadline = Date.now() + 120_000;
  let row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  while (row.framesDone === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  }
  assert.equal(row.status, 'RUNNING');
  assert.ok(row.framesDone > 0 && row.framesDone < row.framesTotal, `killed at ${row.framesDone}/${row.framesTotal}`);
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = null;

  await stack.startWorker();
  const done = await client.waitForJob(job.id, undefined, 180_000);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));
  const final = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  assert.ok(final.attempts >= 2, `attempts ${final.attempts}`);

  const chunks = await stack.env.prisma.maskletChunk.findMany({
    where: { jobId: job.id },
    orderBy: { startFrame: 'asc' },
  });
  let next = 0;
  for (const ch of chunks) {
    assert.equal(ch.startFrame, next, 'chunks tile the frames without gaps or overlaps');
    next = ch.endFrame;
    const bytes = await stack.env.store.getBuffer(ch.s3Key);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), ch.sha256, `chunk ${ch.startFrame} intact`);
    assert.equal(bytes.length, ch.bytes);
  }
  assert.equal(next, 96);
  const keys = await stack.env.store.list(`tenants/${final.tenantId}/jobs/${job.id}/`);
  assert.equal(keys.length, chunks.length, 'no stray objects in S3');
  for (const [id, { iou }] of await meanIouAgainstTruth(client, job.id, clip))
    assert.ok(iou >= 0.9, `object ${id}: IoU ${iou.toFixed(3)}`);

  // The engine is deterministic and resumes from an exact checkpoint: the same job run undisturbed
  // gives the same masks, RLE for RLE.
  const undisturbed = await client.createJob(clickJob(video.id, clip));
  assert.equal((await client.waitForJob(undisturbed.id, undefined, 180_000)).status, 'SUCCEEDED');
  const resumed = toFrameMasks(await client.masklets(job.id));
  const reference = toFrameMasks(await client.masklets(undisturbed.id));
  assert.equal(resumed.size, 96);
  assert.deepEqual(diffMasks(resumed, reference), [], 'the resumed job equals an undisturbed run');
});
