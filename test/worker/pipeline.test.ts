// After a job: the exports listed in options.outputs (DAVIS zip, overlay MP4, COCO JSON) and a
// signed webhook retried past a 500; plus the ingest queue and the webhook SSRF guard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { readMaskPng } from '@masklet/masks';
import { videoKey } from '@masklet/masklets';
import { ingestJobId, QUEUES, webhookJobId, webhookJobOptions } from '@masklet/queue';
import { probeVideo } from '@masklet/video';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { verifyWebhook } from '../../apps/worker/src/webhook/sign';
import {
  createTestEnv,
  enqueueSegment,
  seedJob,
  sharedModel,
  skip,
  testClip,
  truthMask,
  waitFor,
  iou,
  type TestEnv,
} from './support';
import { readZip } from './zip-reader';

const FRAMES = 40;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('worker: exports, webhooks, ingest', { skip }, () => {
  let env: TestEnv;
  let worker: WorkerHandle;
  let server: Server;
  let url = '';
  const received: Received[] = [];
  let answers: number[] = [];

  before(async () => {
    env = await createTestEnv();
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(answers.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await worker?.close();
    server?.close();
    await env?.close();
  });

  test('outputs produce a DAVIS zip (N PNGs), an overlay MP4 (N frames) and COCO JSON (N images); the webhook is retried after a 500 and signed', async () => {
    const clip = await testClip(FRAMES, 2, 'pipeline');
    answers = [500];
    const seeded = await seedJob(env, clip, {
      options: { outputs: ['davis_png_zip', 'overlay_mp4', 'coco_json'] },
      webhookUrl: url,
    });
    await enqueueSegment(env, seeded);
    const exports = await waitFor(
      'three finished exports',
      async () => {
        const rows = await env.prisma.export.findMany({ where: { jobId: seeded.jobId } });
        return rows.length === 3 && rows.every((r) => r.status === 'SUCCEEDED' || r.status === 'FAILED') ? rows : null;
      },
      180_000,
      250,
    );
    const job = await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } });
    assert.equal(job.status, 'SUCCEEDED');
    for (const e of exports) assert.equal(e.status, 'SUCCEEDED', `${e.kind}: ${e.error}`);
    const byKind = new Map(exports.map((e) => [e.kind, e]));

    // DAVIS: N indexed PNGs named by frame; labels are object ids and match the truth.
    const zipRow = byKind.get('DAVIS_PNG_ZIP')!;
    const zip = await env.store.getBuffer(zipRow.s3Key!);
    assert.equal(BigInt(zip.length), zipRow.bytes);
    assert.equal(zipRow.sha256, createHash('sha256').update(zip).digest('hex'));
    const entries = readZip(zip);
    assert.deepEqual(
      entries.map((e) => e.name),
      Array.from({ length: FRAMES }, (_, i) => `${String(i).padStart(5, '0')}.png`),
    );
    const png = readMaskPng(entries[FRAMES - 1]!.data());
    assert.equal(png.width, clip.meta.width);
    for (const o of clip.meta.objects) {
      const truth = await truthMask(clip, o.id, FRAMES - 1);
      assert.ok(
        iou(
          png.labels.map((l) => (l === o.id ? 1 : 0)),
          truth,
        ) >= 0.85,
        `object ${o.id} label in the last PNG`,
      );
    }

    // Overlay: an mp4 with every frame of the video.
    const mp4Row = byKind.get('OVERLAY_MP4')!;
    const mp4Path = join(env.scratch, 'overlay-check.mp4');
    await writeFile(mp4Path, await env.store.getBuffer(mp4Row.s3Key!));
    const probe = await probeVideo(mp4Path);
    assert.equal(probe.numFrames, FRAMES);
    assert.equal(probe.width, clip.meta.width);

    // COCO: images per frame, one annotation per visible object per frame.
    const coco = JSON.parse((await env.store.getBuffer(byKind.get('COCO_JSON')!.s3Key!)).toString('utf8')) as {
      images: { id: number; frame_index: number }[];
      annotations: {
        image_id: number;
        category_id: number;
        segmentation: { size: number[]; counts: string };
        bbox: number[];
        area: number;
      }[];
      categories: { id: number; name: string }[];
      tracks: { id: number; category_id: number }[];
    };
    assert.equal(coco.images.length, FRAMES);
    // Unlabelled objects share one category; each object is its own track.
    assert.deepEqual(coco.categories, [{ id: 1, name: 'object', supercategory: 'object' }]);
    assert.deepEqual(
      coco.tracks.map((t) => [t.id, t.category_id]),
      clip.meta.objects.map((o) => [o.id, 1]),
    );
    const visible = clip.meta.objects.reduce((n, o) => n + o.visible.filter(Boolean).length, 0);
    assert.ok(
      Math.abs(coco.annotations.length - visible) <= 2,
      `${coco.annotations.length} annotations for ${visible} visible object-frames`,
    );
    for (const a of coco.annotations.slice(0, 5)) {
      assert.equal(typeof a.segmentation.counts, 'string');
      assert.equal(a.bbox.length, 4);
      assert.ok(a.area > 0);
    }

    // Webhook: first answer 500, then delivered; signature over "<timestamp>.<body>" with the tenant's secret.
    const delivery = await waitFor(
      'webhook delivered',
      async () => {
        const d = await env.prisma.webhookDelivery.findUnique({
          where: { jobId_event: { jobId: seeded.jobId, event: 'job.succeeded' } },
        });
        return d?.status === 'DELIVERED' ? d : null;
      },
      30_000,
    );
    assert.equal(delivery.attempts, 2);
    assert.equal(delivery.responseCode, 200);
    const hooks = received.filter((r) => r.headers['x-masklet-event'] === 'job.succeeded');
    assert.equal(hooks.length, 2);
    for (const h of hooks) {
      const ts = String(h.headers['x-masklet-timestamp']);
      assert.ok(
        verifyWebhook(seeded.webhookSecret, ts, h.body, String(h.headers['x-masklet-signature'])),
        'valid signature',
      );
      assert.ok(!verifyWebhook('wrong-secret', ts, h.body, String(h.headers['x-masklet-signature'])));
      const body = JSON.parse(h.body) as {
        event: string;
        jobId: string;
        status: string;
        exports: { id: string; format: string; status: string; sha256: string; downloadPath: string }[];
      };
      assert.deepEqual([body.event, body.jobId, body.status], ['job.succeeded', seeded.jobId, 'SUCCEEDED']);
      // The webhook waits for the round's exports and lists them.
      assert.deepEqual(body.exports.map((e) => [e.format, e.status]).sort(), [
        ['coco', 'SUCCEEDED'],
        ['davis', 'SUCCEEDED'],
        ['mp4', 'SUCCEEDED'],
      ]);
      for (const e of body.exports) {
        assert.equal(e.sha256, exports.find((x) => x.id === e.id)!.sha256);
        assert.equal(e.downloadPath, `/v1/jobs/${seeded.jobId}/exports/${e.id}/download`);
      }
    }
  });

  test('ingest stores the frame index beside the video and fills the Video row', async () => {
    const clip = await testClip(FRAMES, 2, 'pipeline');
    const seeded = await seedJob(env, clip);
    await env.prisma.video.update({
      where: { id: seeded.videoId },
      data: { status: 'PENDING', frameCount: null, fps: null, codec: null },
    });
    await env
      .queue(QUEUES.ingest)
      .add(
        'ingest',
        { videoId: seeded.videoId, tenantId: seeded.tenantId },
        { jobId: ingestJobId(seeded.videoId), attempts: 3 },
      );
    const video = await waitFor('video READY', async () => {
      const v = await env.prisma.video.findUniqueOrThrow({ where: { id: seeded.videoId } });
      return v.status === 'READY' ? v : null;
    });
    assert.equal(video.frameCount, FRAMES);
    assert.equal(video.codec, 'h264');
    assert.equal(video.width, clip.meta.width);
    const index = JSON.parse(
      (await env.store.getBuffer(`${videoKey(seeded.tenantId, seeded.videoId)}.index.json`)).toString('utf8'),
    ) as { count: number; times: number[]; keyframes: number[] };
    assert.equal(index.count, FRAMES);
    assert.equal(index.times.length, FRAMES);
    assert.equal(index.keyframes[0], 0);
  });

  test('a webhook to a loopback address is refused unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const strictPrefix = `${env.prefix}-strict`;
    const strict = await startWorker(
      { ...env.config, WEBHOOK_ALLOW_PRIVATE: false },
      { prefix: strictPrefix, queues: ['webhook'] },
    );
    try {
      const clip = await testClip(FRAMES, 2, 'pipeline');
      const seeded = await seedJob(env, clip, { webhookUrl: url });
      const row = await env.prisma.webhookDelivery.create({ data: { jobId: seeded.jobId, event: 'job.failed', url } });
      const before = received.length;
      const { Queue } = await import('bullmq');
      const { createRedisConnection } = await import('@masklet/queue');
      const conn = createRedisConnection(env.config.REDIS_URL);
      const q = new Queue(QUEUES.webhook, { connection: conn, prefix: strictPrefix });
      await q.add('job.failed', { deliveryId: row.id }, webhookJobOptions(webhookJobId(row.id), 4, 100));
      const d = await waitFor('refusal', async () => {
        const r = await env.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
        return r.status === 'FAILED' ? r : null;
      });
      assert.match(d.lastError ?? '', /refused: .*127\.0\.0\.1/);
      assert.equal(d.attempts, 1, 'not retried');
      assert.equal(received.length, before, 'nothing was sent');
      await q.obliterate({ force: true });
      await q.close();
      await conn.quit();
    } finally {
      await strict.close();
    }
  });
});
