// Heartbeats, cancellation within a frame, graceful shutdown that hands the job back, and metrics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedisConnection, segmentQueueName, signalCancel } from '@masklet/queue';
import { startWorker } from '../../apps/worker/src/worker';
import { createTestEnv, enqueueSegment, seedJob, sharedEngine, skip, testClip, waitFor, type TestEnv } from './support';

const FRAMES = 60;

describe('worker: heartbeat, cancel, shutdown', { skip }, () => {
  let env: TestEnv;

  before(async () => {
    env = await createTestEnv({ CHUNK_FRAMES: '8' });
  });
  after(async () => {
    await env?.close();
  });

  test('the heartbeat row appears, updates, reports BUSY with the job while it runs, and ends STOPPED', async () => {
    const worker = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    let closed = false;
    try {
      const first = await waitFor('worker row', () => env.prisma.worker.findUnique({ where: { id: worker.id } }));
      assert.equal(first.state, 'IDLE');
      assert.equal(first.device, 'cpu');
      assert.equal(first.pid, process.pid);
      assert.equal(first.model, (await sharedEngine()).modelName);
      const later = await waitFor(
        'a newer heartbeat',
        async () => {
          const w = await env.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
          return w.heartbeatAt > first.heartbeatAt ? w : null;
        },
        5_000,
      );
      assert.ok(later.rssBytes > 0n);

      const clip = await testClip(FRAMES, 1, 'lifecycle');
      const seeded = await seedJob(env, clip);
      await enqueueSegment(env, seeded);
      const busy = await waitFor(
        'BUSY heartbeat',
        async () => {
          const w = await env.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
          return w.state === 'BUSY' && w.framesProcessed > 0n ? w : null;
        },
        60_000,
      );
      assert.equal(busy.currentJobId, seeded.jobId);
      assert.ok(busy.fps > 0, 'fps over the heartbeat window');
      const roles = (busy.stats as { inferenceMsPerRole: Record<string, { calls: number }> }).inferenceMsPerRole;
      assert.ok(
        Object.keys(roles).length > 0 && Object.values(roles).every((r) => r.calls > 0),
        'per-role inference timings',
      );
      await waitFor(
        'job done',
        async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).status === 'SUCCEEDED',
        120_000,
      );
      const done = await waitFor(
        'IDLE heartbeat with counters',
        async () => {
          const w = await env.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
          return w.state === 'IDLE' && w.jobsCompleted === 1 ? w : null;
        },
        5_000,
      );
      assert.equal(done.framesProcessed, BigInt(FRAMES));
      const metrics = await worker.ctx.metrics.registry.getSingleMetricAsString(
        'masklet_worker_frames_processed_total',
      );
      assert.match(metrics, new RegExp(`masklet_worker_frames_processed_total ${FRAMES}\\b`));
      await worker.close();
      closed = true;
      const stopped = await env.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
      assert.equal(stopped.state, 'STOPPED');
    } finally {
      if (!closed) await worker.close();
    }
  });

  test('a cancel mid-job stops within a frame or two; nothing more is written; status CANCELLED', async () => {
    const worker = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment', 'webhook'],
    });
    const redis = createRedisConnection(env.config.REDIS_URL);
    try {
      const clip = await testClip(FRAMES, 1, 'lifecycle');
      const seeded = await seedJob(env, clip, { webhookUrl: 'http://127.0.0.1:9/unreachable' });
      await enqueueSegment(env, seeded);
      await waitFor(
        'first chunks',
        async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).framesDone >= 16,
        60_000,
        20,
      );
      const atSignal = worker.ctx.stats.framesProcessed;
      await signalCancel(redis, seeded.jobId);
      const job = await waitFor(
        'CANCELLED',
        async () => {
          const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
          return j.status === 'CANCELLED' ? j : null;
        },
        30_000,
        20,
      );
      const extra = worker.ctx.stats.framesProcessed - atSignal;
      assert.ok(extra <= 2, `${extra} frames processed after the cancel signal`);
      assert.ok(job.framesDone < FRAMES);
      const chunks = await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId } });
      await new Promise((r) => setTimeout(r, 1000));
      const again = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
      assert.equal(again.framesDone, job.framesDone, 'framesDone stopped growing');
      assert.equal(again.status, 'CANCELLED');
      assert.equal(
        await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId } }),
        chunks,
        'no chunk written after the cancel',
      );
      assert.equal(worker.ctx.stats.framesProcessed - atSignal, extra, 'the engine stopped');
      const round = await env.prisma.round.findUniqueOrThrow({
        where: { jobId_number: { jobId: seeded.jobId, number: 1 } },
      });
      assert.equal(round.status, 'CANCELLED');
      const hook = await env.prisma.webhookDelivery.findUnique({
        where: { jobId_event: { jobId: seeded.jobId, event: 'job.cancelled' } },
      });
      assert.ok(hook, 'a job.cancelled delivery was queued');
    } finally {
      await redis.quit();
      await worker.close();
    }
  });

  test('a job cancelled before it starts is not run', async () => {
    const redis = createRedisConnection(env.config.REDIS_URL);
    const clip = await testClip(FRAMES, 1, 'lifecycle');
    const seeded = await seedJob(env, clip);
    await signalCancel(redis, seeded.jobId);
    await redis.quit();
    const worker = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    try {
      await enqueueSegment(env, seeded);
      const job = await waitFor(
        'CANCELLED',
        async () => {
          const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
          return j.status === 'CANCELLED' ? j : null;
        },
        30_000,
      );
      assert.equal(job.framesDone, 0);
      assert.equal(job.startedAt, null);
    } finally {
      await worker.close();
    }
  });

  test('closing a busy worker hands the job back (QUEUED, no attempt lost) and another worker finishes it', async () => {
    const clip = await testClip(FRAMES, 1, 'lifecycle');
    const seeded = await seedJob(env, clip);
    const first = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    await enqueueSegment(env, seeded);
    await waitFor(
      'some progress',
      async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).framesDone >= 8,
      60_000,
      20,
    );
    await first.close();
    const released = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
    assert.equal(released.status, 'QUEUED');
    assert.equal((await env.prisma.worker.findUniqueOrThrow({ where: { id: first.id } })).state, 'STOPPED');
    const bull = await env.queue(segmentQueueName('masklet-reference')).getJob(seeded.jobId);
    assert.ok(bull, 'still in the queue');
    assert.equal(bull.attemptsMade, 0, 'no attempt consumed');
    const second = await startWorker(env.config, {
      engine: await sharedEngine(),
      prefix: env.prefix,
      queues: ['segment'],
    });
    try {
      const job = await waitFor(
        'SUCCEEDED',
        async () => {
          const j = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
          return j.status === 'SUCCEEDED' ? j : null;
        },
        120_000,
      );
      assert.equal(job.workerId, second.id);
      assert.equal(job.framesDone, FRAMES);
      // The checkpoint the first worker wrote at its last chunk is handed over: the second resumes there, not at frame 0.
      const round = await env.prisma.round.findUniqueOrThrow({
        where: { jobId_number: { jobId: seeded.jobId, number: 1 } },
      });
      const attempts = (
        round.stats as {
          attempts: {
            workerId: string;
            resumedFrom: { frame: number; framesWritten: number } | null;
            checkpointSource: string | null;
          }[];
        }
      ).attempts;
      assert.deepEqual(
        attempts.map((a) => a.workerId),
        [first.id, second.id],
      );
      assert.equal(attempts[0]!.resumedFrom, null);
      const handed = attempts[1]!;
      assert.ok(
        handed.resumedFrom &&
          handed.resumedFrom.framesWritten >= 8 &&
          handed.resumedFrom.framesWritten <= released.framesDone,
        JSON.stringify(handed),
      );
      assert.match(String(handed.checkpointSource), /^(redis|s3)$/);
      const rows = await env.prisma.maskletChunk.findMany({
        where: { jobId: seeded.jobId },
        orderBy: { startFrame: 'asc' },
      });
      assert.equal(rows.length, Math.ceil(FRAMES / 8));
      assert.deepEqual(
        rows.map((r) => r.startFrame),
        Array.from({ length: rows.length }, (_, i) => i * 8),
      );
    } finally {
      await second.close();
    }
  });
});
