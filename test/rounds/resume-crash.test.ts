// A worker process SIGKILLed mid-round: the retry restores the last chunk-boundary checkpoint and
// continues from there (not frame 0), and the final masks equal an uninterrupted run bit for bit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { sharedModel, testClip } from '../worker/support';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, diffMasks, firstClicks, toFrameMasks, uninterrupted } from './support';

const LOCK = { WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '1000' };
const FRAMES = 48;
let stack: Stack;
let child: ChildProcess | null = null;
before(async () => {
  stack = await startStack({ ...LOCK, CHUNK_FRAMES: '8' }, false);
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
  return spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

test('SIGKILL mid-round: the retry resumes from the checkpoint and the masks equal an uninterrupted run', async () => {
  const clip = await testClip(FRAMES, 2, 'rounds-crash');
  const api = await apiFor(stack, 'crash');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  child = spawnWorker();
  const job = await api.client.createJob(clickJob(video.id, clip));

  const deadline = Date.now() + 180_000;
  let row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  while (row.framesDone < 8 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  }
  assert.equal(row.status, 'RUNNING');
  assert.ok(row.framesDone >= 8 && row.framesDone < row.framesTotal, `killed at ${row.framesDone}/${row.framesTotal}`);
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  child = null;
  const killedAt = row.framesDone;

  await stack.startWorker();
  const done = await api.client.waitForJob(job.id, undefined, 240_000);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));

  const round = await stack.env.prisma.round.findUniqueOrThrow({
    where: { jobId_number: { jobId: job.id, number: 1 } },
  });
  const attempts = (round.stats as { attempts: { resumedFrom: { frame: number; framesWritten: number } | null }[] })
    .attempts;
  assert.ok(attempts.length >= 2, JSON.stringify(attempts));
  assert.equal(attempts[0]!.resumedFrom, null, 'the first attempt starts fresh');
  const resumed = attempts[attempts.length - 1]!.resumedFrom;
  assert.ok(resumed && resumed.frame > 0, `the retry did not restart from frame 0: ${JSON.stringify(resumed)}`);
  assert.ok(
    resumed.frame >= killedAt - 8 && resumed.framesWritten >= 8,
    `resumed at ${JSON.stringify(resumed)}, killed after ${killedAt} frames`,
  );
  assert.equal(round.framesRecomputed, FRAMES);

  const chunks = await stack.env.prisma.maskletChunk.findMany({
    where: { jobId: job.id },
    orderBy: { startFrame: 'asc' },
  });
  let next = 0;
  for (const c of chunks) {
    assert.equal(c.startFrame, next, 'chunks tile the frames');
    next = c.endFrame;
  }
  assert.equal(next, FRAMES);

  const clicks = firstClicks(clip);
  const [expected] = await uninterrupted(await sharedModel(), clip, [
    ...clicks.map((c) => ({ kind: 'click' as const, ...c })),
    { kind: 'propagate' as const, startFrame: Math.min(...clicks.map((c) => c.frame)), direction: 'forward' as const },
  ]);
  const got = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${job.id}/masklets`)).body);
  assert.deepEqual(diffMasks(got, expected!), []);
});
