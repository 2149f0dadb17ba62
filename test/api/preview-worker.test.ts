// Issue 16, item 3: previews run on the workers that hold the model, over the model's preview queue. The
// answer through API + worker is the mask the engine gives when run directly on the same state (a fresh
// session for a video preview, the round's end checkpoint for a job preview); with no worker consuming
// the queue the API answers 503 PREVIEW_UNAVAILABLE with Retry-After and leaves nothing queued.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { restoreSession, VideoSession } from '@masklet/engine';
import { CheckpointStore, jobSessionOptions } from '@masklet/masklets';
import { rleToString } from '@masklet/masks';
import { previewQueueName } from '@masklet/queue';
import { openVideoFile } from '@masklet/video';
import { createApiApp } from '../../apps/api/src/app';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, waitJob, waitVideo } from '../rounds/support';
import { sharedModel, testClip } from '../worker/support';

const FRAMES = 16;
const FRAME = 6;
let stack: Stack;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8', PREVIEW_TIMEOUT_MS: '60000' });
});
after(async () => {
  await stack?.close();
});

interface Mask {
  rle: { size: [number, number]; counts: string };
  area: number;
  round: number | null;
}

test('a video preview through API and worker is the mask the engine gives directly, byte for byte', async () => {
  const clip = await testClip(FRAMES, 2, 'preview-worker');
  const api = await apiFor(stack, 'preview-worker-video');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, video.id);
  const [x, y] = clip.meta.objects[0]!.clicks[FRAME]!;
  const points = [
    { x, y, label: 1 as const },
    { x: Math.min(clip.meta.width - 1, x + 4), y, label: 0 as const },
  ];
  const res = await api.call<Mask>('POST', `/v1/videos/${video.id}/preview`, { frame: FRAME, objectId: 1, points });
  assert.equal(res.status, 200, JSON.stringify(res.body));

  const source = await openVideoFile(clip.mp4Path!);
  const session = new VideoSession(await sharedModel(), source);
  try {
    const direct = (await session.addPoints(FRAME, 1, points, { clearOld: true })).objects.find(
      (o) => o.objectId === 1,
    )!;
    assert.equal(res.body.rle.counts, rleToString(direct.rle.counts));
    assert.deepEqual(res.body.rle.size, direct.rle.size);
    assert.equal(res.body.area, direct.area);
    assert.ok(direct.area > 0);
  } finally {
    await session.close();
    await source.close();
  }
});

test('a job preview through API and worker is the mask the engine gives on the restored round checkpoint', async () => {
  const clip = await testClip(FRAMES, 2, 'preview-worker');
  const api = await apiFor(stack, 'preview-worker-job');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, video.id);
  const created = await api.call<{ id: string }>('POST', '/v1/jobs', clickJob(video.id, clip));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body.id;
  assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');
  const [x, y] = clip.meta.objects[1]!.clicks[FRAME]!;
  const points = [{ x: Math.min(clip.meta.width - 1, x + 2), y, label: 0 as const }];
  const res = await api.call<Mask>('POST', `/v1/jobs/${jobId}/preview`, { frame: FRAME, objectId: 2, points });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.round, 1);

  const job = await stack.env.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  const redis = new IORedis(stack.config.REDIS_URL);
  const source = await openVideoFile(clip.mp4Path!);
  try {
    const ckpt = await new CheckpointStore(redis, stack.env.store, 60).load(job.tenantId, jobId, 1, 'end');
    assert.ok(ckpt, 'round 1 left an end checkpoint');
    const session = await restoreSession(await sharedModel(), source, ckpt.chain, jobSessionOptions(job.options));
    try {
      const direct = (await session.addPoints(FRAME, 2, points, { clearOld: false })).objects.find(
        (o) => o.objectId === 2,
      )!;
      assert.equal(res.body.rle.counts, rleToString(direct.rle.counts));
      assert.equal(res.body.area, direct.area);
    } finally {
      await session.close();
    }
  } finally {
    await source.close();
    redis.disconnect();
  }
  // The worker undid the click: the same preview again gives the same answer.
  const again = await api.call<Mask>('POST', `/v1/jobs/${jobId}/preview`, { frame: FRAME, objectId: 2, points });
  assert.equal(again.body.rle.counts, res.body.rle.counts);
});

test('with no worker consuming the preview queue: 503 PREVIEW_UNAVAILABLE with Retry-After, nothing left queued', async () => {
  const clip = await testClip(FRAMES, 2, 'preview-worker');
  const api = await apiFor(stack, 'preview-worker-none');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, video.id);
  await stack.worker!.close();
  let impatient: INestApplication | null = null;
  try {
    impatient = await createApiApp({ ...stack.config, PREVIEW_TIMEOUT_MS: 700 });
    await impatient.listen(0, '127.0.0.1');
    const port = (impatient.getHttpServer().address() as AddressInfo).port;
    const key = await stack.admin.createKey(api.tenantId, ['correct'], 'impatient');
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/v1/videos/${video.id}/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ frame: FRAME, objectId: 1, points: [{ x: 5, y: 5, label: 1 }] }),
    });
    const waited = performance.now() - t0;
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(res.status, 503, JSON.stringify(body));
    assert.equal(body.error.code, 'PREVIEW_UNAVAILABLE');
    assert.match(body.error.message, /no worker serving model \S+ answered the preview within 700 ms/);
    assert.ok(Number(res.headers.get('retry-after')) > 0, 'Retry-After');
    assert.ok(waited >= 700, `answered after the timeout (${waited.toFixed(0)} ms)`);
    const model = (await stack.env.prisma.worker.findFirst({ orderBy: { startedAt: 'desc' } }))!.model;
    const redis = new IORedis(stack.config.REDIS_URL);
    try {
      const q = new Queue(previewQueueName(model), { connection: redis });
      const counts = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      await q.close();
      assert.deepEqual(
        counts,
        { waiting: 0, prioritized: 0, active: 0, delayed: 0 },
        'the abandoned preview was removed',
      );
    } finally {
      redis.disconnect();
    }
  } finally {
    await impatient?.close();
  }
});
