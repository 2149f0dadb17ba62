// The API process SIGKILLed while a job it accepted runs on a worker: the API holds none of the job's work
// (the row is in Postgres, the entry in Redis, the frames on the worker), so the job ends SUCCEEDED once,
// with masks identical to an undisturbed run, and a new API serves its view, events and masks.
// The API dying between inserting a job row and adding its queue entry is test/faults/queue-reconcile
// ("a QUEUED job BullMQ never held"): the reconciler re-adds the entry under its deterministic id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { MaskletClient, readServerSentEvents } from '@masklet/client';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { freePort } from '../e2e/free-port';
import { clickJob } from '../e2e/stack';
import { diffMasks, toFrameMasks } from '../rounds/support';
import { apiReady, createTestEnv, sharedModel, skip, testClip, waitFor, type TestEnv } from '../worker/support';
import { startPrivateRedis, type PrivateRedis } from './private-redis';
import { jobFinished, jobMasks } from './support';

const ROOT = resolve(__dirname, '..', '..');
const FRAMES = 96;

interface Sse {
  events: Array<{ event: string; data: Record<string, unknown> }>;
  /** 'end' when the server closed the stream, 'cut' when the connection died. */
  ended: Promise<'end' | 'cut'>;
}

function followEvents(base: string, key: string, jobId: string): Sse {
  const events: Sse['events'] = [];
  const ended = (async (): Promise<'end' | 'cut'> => {
    try {
      const res = await fetch(`${base}/v1/jobs/${jobId}/events`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 200);
      for await (const ev of readServerSentEvents(res.body!))
        events.push({ event: ev.event, data: JSON.parse(ev.data) as Record<string, unknown> });
      return 'end';
    } catch {
      return 'cut';
    }
  })();
  return { events, ended };
}

describe('faults: API SIGKILL mid-job', { skip }, () => {
  let redis: PrivateRedis;
  let env: TestEnv;
  let worker: WorkerHandle;
  let api: ChildProcess | null = null;
  let port = 0;
  let hooks: Server;
  const deliveries: string[] = [];

  async function startApiProcess(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.config.DATABASE_URL,
        REDIS_URL: env.config.REDIS_URL,
        API_PORT: String(port),
        API_METRICS_PORT: '0',
        CHUNK_FRAMES: String(env.config.CHUNK_FRAMES),
        WEBHOOK_ALLOW_PRIVATE: 'true',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    api = child;
    await apiReady(port);
  }

  before(async () => {
    redis = await startPrivateRedis();
    // The API child uses BullMQ's default prefix: the worker here does too, on a Redis of this test's own.
    env = await createTestEnv({ REDIS_URL: redis.url });
    worker = await startWorker(env.config, { model: await sharedModel() });
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        deliveries.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    port = await freePort();
    await startApiProcess();
  });
  after(async () => {
    api?.kill('SIGKILL');
    hooks?.close();
    await worker?.close();
    await env?.close();
    await redis?.stop();
  });

  test('the job SUCCEEDS once with undisturbed masks; the new API serves its view, events and masks', async () => {
    const admin = new TenantAdminService(env.prisma);
    const tenant = await admin.createTenant(`faults-api-kill-${Date.now()}`);
    const key = (await admin.createKey(tenant.id, ['submit', 'read'], 'test')).key;
    const base = `http://127.0.0.1:${port}`;
    const client = new MaskletClient(base, key);
    const clip = await testClip(FRAMES, 2, 'faults-api-kill');
    const video = await client.uploadVideo(clip.mp4Path!);
    const webhookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    const job = await client.createJob(clickJob(video.id, clip, { webhookUrl }));
    const before = followEvents(base, key, job.id);

    const running = await waitFor(
      'job running with frames done',
      async () => {
        const j = await env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
        return j.status === 'RUNNING' && j.framesDone > 0 ? j : null;
      },
      120_000,
      20,
    );
    const dead = new Promise((r) => api!.once('exit', r));
    api!.kill('SIGKILL');
    await dead;
    api = null;
    const killedAt = await env.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.ok(
      killedAt.framesDone < killedAt.framesTotal,
      `killed mid-job (${running.framesDone}..${killedAt.framesDone}/${killedAt.framesTotal})`,
    );
    assert.equal(await before.ended, 'cut', 'the event stream of the dead API is cut, not ended as if terminal');
    assert.ok(before.events.some((e) => e.event === 'status' && e.data.status === 'RUNNING'));
    const seenBefore = Math.max(...before.events.map((e) => Number(e.data.framesDone ?? 0)));

    // The worker never noticed: frames kept coming while no API was up.
    await waitFor(
      'progress with no API',
      async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).framesDone > killedAt.framesDone,
      60_000,
      50,
    );

    await startApiProcess();
    const after = followEvents(base, key, job.id);
    const view = await client.getJob(job.id);
    assert.ok(['RUNNING', 'SUCCEEDED'].includes(view.status), view.status);
    assert.ok(view.framesDone >= seenBefore, 'the new API reports no lost progress');
    assert.equal(await after.ended, 'end', 'the new stream ends on the terminal status');
    const progress = after.events.filter((e) => e.event === 'progress').map((e) => Number(e.data.framesDone));
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress never goes backwards',
    );
    const statuses = after.events.filter((e) => e.event === 'status').map((e) => e.data.status);
    assert.equal(statuses.at(-1), 'SUCCEEDED');
    assert.equal(after.events.filter((e) => e.event === 'error').length, 0);

    const done = await client.getJob(job.id);
    assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));
    const row = await jobFinished(env, job.id);
    assert.equal(row.attempts, 1, 'the worker ran the job once: an API crash costs no attempt');

    // Nothing duplicated: chunk rows tile the frames once, and S3 holds exactly those chunks.
    const chunks = await env.prisma.maskletChunk.findMany({ where: { jobId: job.id }, orderBy: { startFrame: 'asc' } });
    let next = 0;
    for (const ch of chunks) {
      assert.equal(ch.startFrame, next, 'chunks tile the frames without gaps or overlaps');
      next = ch.endFrame;
    }
    assert.equal(next, FRAMES);
    const masks = (await env.store.list(`tenants/${tenant.id}/jobs/${job.id}/`)).filter((k) => /masklets/.test(k));
    assert.equal(masks.length, chunks.length, 'no stray mask objects');
    await waitFor('the webhook', async () => deliveries.length > 0, 30_000, 100);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(deliveries.filter((d) => d.includes('job.succeeded') && d.includes(job.id)).length, 1);

    // The same job undisturbed, through the new API: the same masks, RLE for RLE.
    const undisturbed = await client.createJob(clickJob(video.id, clip));
    assert.equal((await client.waitForJob(undisturbed.id, undefined, 180_000)).status, 'SUCCEEDED');
    const resumed = toFrameMasks(await client.masklets(job.id));
    assert.equal(resumed.size, FRAMES);
    assert.deepEqual(diffMasks(resumed, toFrameMasks(await client.masklets(undisturbed.id))), []);
    assert.deepEqual(await jobMasks(env, job.id), await jobMasks(env, undisturbed.id));
  });
});
