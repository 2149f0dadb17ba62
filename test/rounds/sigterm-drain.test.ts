// A segment-pool worker process (WORKER_QUEUES=segment) gets SIGTERM mid-round: it exits 0 within the
// frame in flight, its job goes back QUEUED without losing an attempt, and the next worker resumes from
// the checkpoint it handed over (not frame 0); the final masks equal an uninterrupted run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { sharedModel, testClip } from '../worker/support';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, diffMasks, firstClicks, toFrameMasks, uninterrupted } from './support';

const FRAMES = 48;
let stack: Stack;
let child: ChildProcess | null = null;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' }, false);
});
after(async () => {
  child?.kill('SIGKILL');
  await stack?.close();
});

function spawnSegmentWorker(): ChildProcess {
  const c = stack.config;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: c.DATABASE_URL,
    REDIS_URL: c.REDIS_URL,
    WORKER_SCRATCH_DIR: c.WORKER_SCRATCH_DIR,
    WORKER_METRICS_PORT: '0',
    WORKER_HEARTBEAT_MS: '300',
    WORKER_QUEUES: 'segment',
    CHUNK_FRAMES: '8',
    LOG_LEVEL: 'warn',
  };
  return spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

test('SIGTERM mid-round: exit 0, job QUEUED with no attempt used, the next worker resumes from the handed-over checkpoint', async () => {
  const clip = await testClip(FRAMES, 2, 'rounds-drain');
  const api = await apiFor(stack, 'drain');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  child = spawnSegmentWorker();
  const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
  const job = await api.client.createJob(clickJob(video.id, clip));

  const deadline = Date.now() + 180_000;
  let row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  while (row.framesDone < 8 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    row = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  }
  assert.equal(row.status, 'RUNNING');
  assert.ok(
    row.framesDone < row.framesTotal,
    `the round finished before SIGTERM (${row.framesDone}/${row.framesTotal})`,
  );
  const drainingWorker = row.workerId!;
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'the worker drains and exits 0');
  child = null;

  const released = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  assert.deepEqual([released.status, released.workerId], ['QUEUED', null]);
  const stopped = await stack.env.prisma.worker.findUniqueOrThrow({ where: { id: drainingWorker } });
  assert.equal(stopped.state, 'STOPPED');
  assert.deepEqual(
    stopped.queues,
    ['segment.masklet-reference'],
    'WORKER_QUEUES=segment consumed only its segment queue',
  );

  const next = await stack.startWorker();
  const done = await api.client.waitForJob(job.id, undefined, 240_000);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));
  const round = await stack.env.prisma.round.findUniqueOrThrow({
    where: { jobId_number: { jobId: job.id, number: 1 } },
  });
  const attempts = (
    round.stats as {
      attempts: { attempt: number; workerId: string; resumedFrom: { frame: number; framesWritten: number } | null }[];
    }
  ).attempts;
  assert.deepEqual(
    attempts.map((a) => [a.attempt, a.workerId]),
    [
      [1, drainingWorker],
      [1, next.id],
    ],
    'the drain used no attempt',
  );
  const resumed = attempts[1]!.resumedFrom;
  assert.ok(
    resumed && resumed.framesWritten >= 8 && resumed.framesWritten === released.framesDone,
    `resumed at ${JSON.stringify(resumed)}, released after ${released.framesDone}`,
  );

  const clicks = firstClicks(clip);
  const [expected] = await uninterrupted(await sharedModel(), clip, [
    ...clicks.map((c) => ({ kind: 'click' as const, ...c })),
    { kind: 'propagate' as const, startFrame: Math.min(...clicks.map((c) => c.frame)), direction: 'forward' as const },
  ]);
  const got = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${job.id}/masklets`)).body);
  assert.deepEqual(diffMasks(got, expected!), []);
});
