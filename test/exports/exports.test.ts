// Exports through the API on a real stack (Postgres, Redis, S3, ffmpeg, onnxruntime): one job with
// every format, each downloaded through the API and checked against the masks the API serves
// (GET /v1/jobs/:id/masklets); on-demand export, redirect and range downloads, tenant scoping, bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { MaskletFrames } from '@masklet/client';
import { fillPolygons, fromCocoRle, jaccard, readMaskPng, type BinaryMask } from '@masklet/masks';
import { probeVideo } from '@masklet/video';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { waitJob, waitVideo } from '../rounds/support';
import { testClip } from '../worker/support';
import { readZip } from '../worker/zip-reader';
import { keyedApi, type KeyedApi } from './support';
import { child, parseXml } from './xml-reader';

const FRAMES = 24;
const LABELS = ['shape', 'ball', 'shape'];

interface ExportItem {
  id: string;
  round: number;
  format: string;
  fileName: string;
  contentType: string;
  status: string;
  bytes: number;
  sha256: string;
  downloadPath: string;
  error: string | null;
}

describe('exports API and formats', () => {
  let stack: Stack;
  let api: KeyedApi;
  let jobId = '';
  let masks: MaskletFrames;
  const files = new Map<string, Buffer>();
  let items: ExportItem[] = [];

  const download = (path: string, headers: Record<string, string> = {}, who?: KeyedApi): Promise<Response> =>
    (who ?? api).get(path, headers);

  async function exportsDone(expected: number): Promise<ExportItem[]> {
    for (let i = 0; i < 1200; i++) {
      const list = await api.call<{ items: ExportItem[] }>('GET', `/v1/jobs/${jobId}/exports`);
      if (
        list.body.items.length === expected &&
        list.body.items.every((e) => e.status === 'SUCCEEDED' || e.status === 'FAILED')
      )
        return list.body.items;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('exports did not finish');
  }

  before(async () => {
    stack = await startStack();
    api = await keyedApi(stack, 'exports');
    const clip = await testClip(FRAMES, 3, 'exports');
    const video = await api.client.uploadVideo(clip.mp4Path!);
    await waitVideo(api, video.id);
    const body = clickJob(video.id, clip, { options: { outputs: ['coco', 'davis_png_zip', 'yolo', 'mp4'] } });
    (body['objects'] as { label?: string }[]).forEach((o, i) => (o.label = LABELS[i]));
    const created = await api.call('POST', '/v1/jobs', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    jobId = created.body['id'] as string;
    assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');
    items = await exportsDone(4);
    masks = await api.client.masklets(jobId);
    assert.equal(masks.frames.length, FRAMES);
  });
  after(async () => {
    await stack?.close();
  });

  test('the list: one row per format of round 1 in registry order, each downloadable with the listed bytes and sha256', async () => {
    assert.deepEqual(
      items.map((e) => [e.round, e.format, e.status]),
      [
        [1, 'coco', 'SUCCEEDED'],
        [1, 'davis', 'SUCCEEDED'],
        [1, 'yolo', 'SUCCEEDED'],
        [1, 'mp4', 'SUCCEEDED'],
      ],
    );
    for (const e of items) {
      assert.equal(e.downloadPath, `/v1/jobs/${jobId}/exports/${e.id}/download`);
      const res = await download(e.downloadPath);
      assert.equal(res.status, 200, e.format);
      assert.equal(res.headers.get('content-type')?.split(';')[0], e.contentType);
      assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`-r\\d+-${e.fileName}"`));
      const buf = Buffer.from(await res.arrayBuffer());
      assert.equal(buf.length, e.bytes, `${e.format} bytes`);
      assert.equal(createHash('sha256').update(buf).digest('hex'), e.sha256, `${e.format} sha256`);
      assert.equal(res.headers.get('x-masklet-sha256'), e.sha256);
      files.set(e.format, buf);
    }
    const one = await api.call<ExportItem>('GET', `/v1/jobs/${jobId}/exports/${items[0]!.id}`);
    assert.deepEqual(one.body, items[0]);
  });

  test('the typed client: lists the same exports, streams one to a file checked against its sha256, refuses a wrong checksum', async () => {
    const listed = await api.client.listExports(jobId, 1);
    assert.deepEqual(listed, { jobId, items });
    const davis = items.find((e) => e.format === 'davis')!;
    const path = join(stack.env.scratch, 'davis.zip');
    const got = await api.client.downloadExport(davis, path);
    assert.deepEqual(got, { bytes: davis.bytes, sha256: davis.sha256 });
    assert.ok((await readFile(path)).equals(files.get('davis')!));
    await assert.rejects(api.client.downloadExport({ ...davis, sha256: '0'.repeat(64) }, path), /CHECKSUM_MISMATCH/);
    const existing = await api.client.requestExport(jobId, 'davis');
    assert.deepEqual(existing, davis);
  });

  test('DAVIS: every frame a palette PNG whose indices equal the served masks (higher object id on top)', () => {
    const entries = readZip(files.get('davis')!);
    assert.deepEqual(
      entries.map((e) => e.name),
      masks.frames.map((f) => `${String(f.frame).padStart(5, '0')}.png`),
    );
    entries.forEach((entry, i) => {
      const png = readMaskPng(entry.data());
      assert.deepEqual([png.width, png.height], [masks.width, masks.height]);
      const expected = new Uint8Array(masks.width * masks.height);
      for (const o of [...masks.frames[i]!.objects].sort((a, b) => a.objectId - b.objectId)) {
        const m = fromCocoRle(o.rle).data;
        for (let p = 0; p < m.length; p++) if (m[p]) expected[p] = o.objectId;
      }
      assert.ok(Buffer.from(png.labels).equals(Buffer.from(expected)), `frame ${i} labels`);
    });
  });

  test('COCO: one category per label, a track per object, RLE identical to the served masks, bbox and area from the mask', () => {
    const coco = JSON.parse(files.get('coco')!.toString('utf8')) as {
      videos: { id: number; length: number }[];
      categories: { id: number; name: string }[];
      tracks: { id: number; category_id: number }[];
      images: { id: number; video_id: number; frame_index: number }[];
      annotations: {
        image_id: number;
        video_id: number;
        frame_index: number;
        category_id: number;
        track_id: number;
        segmentation: { size: [number, number]; counts: string };
        bbox: number[];
        area: number;
      }[];
    };
    assert.deepEqual(
      coco.categories.map((c) => [c.id, c.name]),
      [
        [1, 'shape'],
        [2, 'ball'],
      ],
    );
    assert.deepEqual(
      coco.tracks.map((t) => [t.id, t.category_id]),
      [
        [1, 1],
        [2, 2],
        [3, 1],
      ],
    );
    assert.deepEqual(
      coco.images.map((im) => im.frame_index),
      masks.frames.map((f) => f.frame),
    );
    const byFrameObject = new Map(coco.annotations.map((a) => [`${a.frame_index}/${a.track_id}`, a]));
    let present = 0;
    for (const f of masks.frames) {
      for (const o of f.objects) {
        const a = byFrameObject.get(`${f.frame}/${o.objectId}`);
        const mask = fromCocoRle(o.rle);
        const area = mask.data.reduce((s, v) => s + v, 0);
        if (area === 0) {
          assert.equal(a, undefined, `no annotation for an absent object ${o.objectId} on frame ${f.frame}`);
          continue;
        }
        present++;
        assert.ok(a, `annotation of object ${o.objectId} on frame ${f.frame}`);
        assert.equal(a.video_id, 1);
        assert.equal(coco.images.find((im) => im.id === a.image_id)!.frame_index, f.frame);
        assert.equal(a.category_id, o.objectId === 2 ? 2 : 1);
        assert.ok(
          Buffer.from(fromCocoRle(a.segmentation).data).equals(Buffer.from(mask.data)),
          `RLE of object ${o.objectId} on frame ${f.frame}`,
        );
        assert.equal(a.area, area);
        assert.deepEqual(a.bbox, bboxOf(mask));
      }
    }
    assert.equal(coco.annotations.length, present);
    assert.ok(present > FRAMES, 'objects are present on most frames');
  });

  test("YOLO: classes from labels; each frame's polygons rasterise to IoU >= 0.95 with the served masks, per class", () => {
    const entries = new Map(
      readZip(files.get('yolo')!).map((e) => [e.name, e.method === 8 ? inflateRawSync(e.data()) : e.data()]),
    );
    assert.match(entries.get('data.yaml')!.toString(), /nc: 2\nnames:\n {2}0: "shape"\n {2}1: "ball"\n/);
    const { width, height } = masks;
    for (const f of masks.frames) {
      const txt = entries.get(`labels/${String(f.frame).padStart(5, '0')}.txt`);
      assert.ok(txt, `labels of frame ${f.frame}`);
      const rings = new Map<number, number[][]>();
      for (const line of txt.toString().split('\n').filter(Boolean)) {
        const [cls, ...coords] = line.split(' ').map(Number);
        assert.ok(
          coords.length >= 6 && coords.length % 2 === 0 && coords.every((v) => v >= 0 && v <= 1),
          `a normalised polygon on frame ${f.frame}`,
        );
        rings.set(cls!, [...(rings.get(cls!) ?? []), coords.map((v, i) => v * (i % 2 ? height : width))]);
      }
      for (const cls of [0, 1]) {
        const truth = { width, height, data: new Uint8Array(width * height) };
        for (const o of f.objects)
          if ((o.objectId === 2 ? 1 : 0) === cls) fromCocoRle(o.rle).data.forEach((v, p) => v && (truth.data[p] = 1));
        const drawn = fillPolygons(rings.get(cls) ?? [], width, height, 'union');
        const empty = !truth.data.some(Boolean) && !drawn.data.some(Boolean);
        if (!empty)
          assert.ok(jaccard(drawn, truth) >= 0.95, `class ${cls} frame ${f.frame}: IoU ${jaccard(drawn, truth)}`);
      }
    }
  });

  test('overlay MP4: every frame of the video', async () => {
    const path = join(stack.env.scratch, 'overlay.mp4');
    await writeFile(path, files.get('mp4')!);
    const probe = await probeVideo(path);
    assert.equal(probe.numFrames, FRAMES);
    assert.equal(probe.width, masks.width);
  });

  test("on demand: CVAT of round 1 is queued (202), produced, parses, and holds every object's track on every frame", async () => {
    const res = await api.call<ExportItem>('POST', `/v1/jobs/${jobId}/exports`, { format: 'cvat' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual([res.body.format, res.body.round], ['cvat', 1]);
    const all = await exportsDone(5);
    const cvat = all.find((e) => e.format === 'cvat')!;
    assert.equal(cvat.status, 'SUCCEEDED', cvat.error ?? '');
    const again = await api.call<ExportItem>('POST', `/v1/jobs/${jobId}/exports`, { format: 'cvat_xml', round: 1 });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, cvat.id);

    const xml = Buffer.from(await (await download(cvat.downloadPath)).arrayBuffer()).toString('utf8');
    const doc = parseXml(xml);
    assert.equal(doc.name, 'annotations');
    assert.equal(child(doc, 'version').text, '1.1');
    const task = child(child(doc, 'meta'), 'task');
    assert.deepEqual(
      child(task, 'labels').children.map((l) => child(l, 'name').text),
      ['shape', 'ball'],
    );
    const tracks = doc.children.filter((c) => c.name === 'track');
    assert.deepEqual(
      tracks.map((t) => t.attrs['label']),
      LABELS,
    );
    tracks.forEach((track, i) => {
      const objectId = i + 1;
      const shapes = track.children.filter((c) => c.name === 'polygon');
      assert.deepEqual(
        shapes.map((s) => Number(s.attrs['frame'])),
        masks.frames.map((f) => f.frame),
        `track ${objectId} has every frame`,
      );
      shapes.forEach((s, k) => {
        const o = masks.frames[k]!.objects.find((x) => x.objectId === objectId);
        const mask = o ? fromCocoRle(o.rle) : null;
        const present = !!mask && mask.data.some(Boolean);
        assert.equal(s.attrs['outside'], present ? '0' : '1', `outside flag of object ${objectId} on frame ${k}`);
        assert.equal(s.attrs['keyframe'], '1');
        const ring = s.attrs['points']!.split(';').flatMap((p) => p.split(',').map(Number));
        assert.ok(ring.length >= 6 && ring.every(Number.isFinite));
        if (present)
          assert.ok(
            jaccard(fillPolygons([ring], masks.width, masks.height), mask) >= 0.9,
            `object ${objectId} frame ${k}`,
          );
      });
    });
  });

  test('downloads: ?redirect=true is a 302 to a presigned URL with the same bytes; a Range gets 206 and just those bytes', async () => {
    const e = items.find((x) => x.format === 'coco')!;
    const redirect = await download(`${e.downloadPath}?redirect=true`);
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location')!;
    assert.match(location, /X-Amz-Signature=/);
    assert.ok(Buffer.from(await (await fetch(location)).arrayBuffer()).equals(files.get('coco')!));
    const part = await download(e.downloadPath, { range: 'bytes=10-109' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-109/${e.bytes}`);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(files.get('coco')!.subarray(10, 110)));
    const past = await download(e.downloadPath, { range: `bytes=${e.bytes}-` });
    assert.equal(past.status, 416);
  });

  test('bad input: unknown format, missing round, unknown field, unknown export: 4xx naming the problem', async () => {
    const unknown = await api.call<{ error: { code: string; message: string } }>('POST', `/v1/jobs/${jobId}/exports`, {
      format: 'tiff',
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error.code, 'UNKNOWN_FORMAT');
    assert.match(unknown.body.error.message, /"tiff".*coco, davis, yolo, cvat, mp4/);
    const noRound = await api.call<{ error: { code: string; message: string } }>('POST', `/v1/jobs/${jobId}/exports`, {
      format: 'coco',
      round: 7,
    });
    assert.equal(noRound.status, 404);
    assert.equal(noRound.body.error.code, 'ROUND_NOT_FOUND');
    assert.match(noRound.body.error.message, /no round 7/);
    const listNoRound = await api.call<{ error: { code: string } }>('GET', `/v1/jobs/${jobId}/exports?round=3`);
    assert.deepEqual([listNoRound.status, listNoRound.body.error.code], [404, 'ROUND_NOT_FOUND']);
    const field = await api.call<{ error: { code: string; message: string } }>('POST', `/v1/jobs/${jobId}/exports`, {
      format: 'coco',
      colour: 'red',
    });
    assert.deepEqual([field.status, field.body.error.code], [400, 'UNKNOWN_FIELD']);
    const roundZero = await api.call<{ error: { code: string; message: string } }>(
      'POST',
      `/v1/jobs/${jobId}/exports`,
      { format: 'coco', round: 0 },
    );
    assert.deepEqual([roundZero.status, roundZero.body.error.code], [400, 'VALIDATION_FAILED']);
    assert.match(roundZero.body.error.message, /round/);
    const listBadRound = await api.call<{ error: { code: string; message: string } }>(
      'GET',
      `/v1/jobs/${jobId}/exports?round=latest`,
    );
    assert.deepEqual([listBadRound.status, listBadRound.body.error.code], [400, 'VALIDATION_FAILED']);
    assert.match(listBadRound.body.error.message, /round/);
    const noFormat = await api.call<{ error: { code: string; message: string } }>(
      'POST',
      `/v1/jobs/${jobId}/exports`,
      {},
    );
    assert.deepEqual([noFormat.status, noFormat.body.error.code], [400, 'VALIDATION_FAILED']);
    assert.match(noFormat.body.error.message, /format/);
    const jobOutput = await api.call<{ error: { code: string; message: string } }>('POST', '/v1/jobs', {
      ...clickJob('00000000-0000-4000-8000-000000000000', await testClip(FRAMES, 3, 'exports')),
      options: { outputs: ['tiff'] },
    });
    assert.deepEqual([jobOutput.status, jobOutput.body.error.code], [400, 'VALIDATION_FAILED']);
    assert.match(jobOutput.body.error.message, /options\.outputs\[0\]|outputs/);
    const missing = await download(`/v1/jobs/${jobId}/exports/00000000-0000-4000-8000-000000000000/download`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'EXPORT_NOT_FOUND');
  });

  test("tenant scope: another tenant gets 404 for the job's exports, an export and its download", async () => {
    const other = await keyedApi(stack, 'exports-other');
    const e = items[0]!;
    for (const path of [
      `/v1/jobs/${jobId}/exports`,
      `/v1/jobs/${jobId}/exports/${e.id}`,
      e.downloadPath,
      `${e.downloadPath}?redirect=true`,
    ]) {
      const res = await download(path, {}, other);
      assert.equal(res.status, 404, path);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      assert.deepEqual([err.code, err.message], ['JOB_NOT_FOUND', `job ${jobId} not found`], path);
    }
    const post = await other.call<{ error: { code: string } }>('POST', `/v1/jobs/${jobId}/exports`, { format: 'coco' });
    assert.deepEqual([post.status, post.body.error.code], [404, 'JOB_NOT_FOUND']);

    // This tenant's export asked for under the other tenant's own job: not found, naming the export.
    const clip = await testClip(FRAMES, 3, 'exports');
    const theirVideo = await other.client.uploadVideo(clip.mp4Path!);
    await waitVideo(other, theirVideo.id);
    const theirJob = await other.client.createJob(clickJob(theirVideo.id, clip));
    for (const path of [
      `/v1/jobs/${theirJob.id}/exports/${e.id}`,
      `/v1/jobs/${theirJob.id}/exports/${e.id}/download`,
    ]) {
      const res = await download(path, {}, other);
      assert.equal(res.status, 404, path);
      const err = ((await res.json()) as { error: { code: string; message: string } }).error;
      assert.deepEqual(
        [err.code, err.message],
        ['EXPORT_NOT_FOUND', `export ${e.id} of job ${theirJob.id} not found`],
        path,
      );
    }
    await other.client.cancelJob(theirJob.id).catch(() => undefined);
  });
});

function bboxOf(mask: BinaryMask): number[] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}
