// The Python SDK (clients/python) and the `masklet` CLI against a live stack (Postgres, Redis, S3, ffmpeg,
// onnxruntime): a synthetic clip uploaded and segmented through the SDK, its masks compared to the masks the
// API serves; every export format downloaded through the CLI and checked against those masks; a correction
// round through the CLI; typed errors for bad input. Also runs the SDK's pure unit tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import type { MaskletFrames } from '@masklet/client';
import { fillPolygons, fromCocoRle, jaccard, readMaskPng, writeIndexedPng } from '@masklet/masks';
import { startStack, type Stack } from '../e2e/stack';
import { keyedApi, type KeyedApi } from '../exports/support';
import { child, parseXml } from '../exports/xml-reader';
import { testClip, truthMask } from '../worker/support';
import { readZip } from '../worker/zip-reader';

const run = promisify(execFile);
const SDK = resolve('clients/python');
const FRAMES = 16;
const LABELS = ['shape', 'ball'];

interface Result {
  jobId: string;
  status: string;
  progress: number[];
  frames: number[];
  objects: number[];
  width: number;
  height: number;
}

/** Runs python3 with the SDK on the path, configured for `who`; answers stdout, stderr and the exit code. */
async function python(
  stack: Stack,
  who: KeyedApi,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    PYTHONPATH: SDK,
    MASKLET_URL: stack.baseUrl,
    MASKLET_API_KEY: who.key,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  try {
    const { stdout, stderr } = await run('/usr/bin/python3', args, { env, maxBuffer: 64 << 20, timeout: 300_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? String(e),
    };
  }
}

const cli = (stack: Stack, who: KeyedApi, args: string[]) => python(stack, who, ['-m', 'masklet', ...args]);

/** The served masks of one object on one frame, row-major 0/1 (all zero when the object is absent). */
function served(masks: MaskletFrames, frameIndex: number, objectId: number): Uint8Array {
  const o = masks.frames[frameIndex]!.objects.find((x) => x.objectId === objectId);
  return o ? fromCocoRle(o.rle).data : new Uint8Array(masks.width * masks.height);
}

describe('Python SDK and CLI against the live API', () => {
  let stack: Stack;
  let api: KeyedApi;
  let other: KeyedApi;
  let out = '';
  let result: Result;
  let masks: MaskletFrames;
  let clicks: { id: number; label: string; frame: number; x: number; y: number }[];

  before(async () => {
    // Tenants may register s3:// objects under incoming/<tenant>/ of the platform bucket.
    stack = await startStack({ S3_INGEST_PREFIXES: `${process.env.S3_BUCKET ?? 'masklet'}/incoming/{tenant}/` });
    api = await keyedApi(stack, 'sdk');
    other = await keyedApi(stack, 'sdk-other');
    out = await mkdtemp(join(stack.env.scratch, 'sdk-'));
    const clip = await testClip(FRAMES, 2, 'sdk');
    clicks = clip.meta.objects.map((o, i) => {
      const frame = o.clicks.findIndex((c) => c !== null);
      const [x, y] = o.clicks[frame]!;
      return { id: o.id, label: LABELS[i]!, frame, x, y };
    });
    await writeFile(join(out, 'spec.json'), JSON.stringify({ objects: clicks }));
    const flow = await python(stack, api, [
      join('test', 'sdk', 'sdk_flow.py'),
      'flow',
      clip.mp4Path!,
      join(out, 'spec.json'),
      out,
    ]);
    assert.equal(flow.code, 0, flow.stderr);
    result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as Result;
    masks = await api.client.masklets(result.jobId);
  });
  after(async () => {
    await stack?.close();
  });

  test('pure units: python3 -m unittest (RLE, PNG, argument parsing, errors)', async () => {
    const r = await run('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: SDK,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    assert.match(r.stderr, /Ran \d+ tests[\s\S]*\nOK\n/);
  });

  test('SDK: streamed upload, submit, wait with progress; RLE masks and served PNGs decode to exactly the served masks', async () => {
    assert.equal(result.status, 'SUCCEEDED');
    assert.ok(result.progress.length > 0, 'progress was reported');
    assert.deepEqual(
      result.frames,
      masks.frames.map((f) => f.frame),
    );
    assert.equal(result.frames.length, FRAMES);
    const { width, height } = masks;
    const plane = width * height;
    const bin = await readFile(join(out, 'masks.bin'));
    assert.equal(bin.length, FRAMES * result.objects.length * plane);
    const labels = await readFile(join(out, 'labels.bin'));
    let inside = 0;
    for (let i = 0; i < FRAMES; i++) {
      result.objects.forEach((id, k) => {
        const expected = served(masks, i, id);
        inside += expected.reduce((s, v) => s + v, 0);
        assert.ok(
          bin
            .subarray((i * result.objects.length + k) * plane, (i * result.objects.length + k + 1) * plane)
            .equals(Buffer.from(expected)),
          `frame ${i} object ${id}`,
        );
      });
      const png = await api.get(`/v1/jobs/${result.jobId}/masklets?format=png&from=${masks.frames[i]!.frame}`);
      const servedLabels = readMaskPng(new Uint8Array(await png.arrayBuffer())).labels;
      assert.ok(labels.subarray(i * plane, (i + 1) * plane).equals(Buffer.from(servedLabels)), `labels of frame ${i}`);
    }
    assert.ok(inside > 0, 'the masks are not empty');
  });

  test('CLI: every export format downloaded (sha256 checked) and matching the served masks', async () => {
    const files = new Map<string, Buffer>();
    for (const format of ['coco', 'davis', 'yolo', 'cvat', 'mp4']) {
      const path = join(out, `export.${format}`);
      const r = await cli(stack, api, ['download', result.jobId, '--format', format, '-o', path]);
      assert.equal(r.code, 0, r.stderr);
      const said = JSON.parse(r.stdout) as { path: string; bytes: number; sha256: string };
      const buf = await readFile(path);
      assert.equal(buf.length, said.bytes);
      assert.match(r.stderr, /100\.0%/, 'a progress bar ran to the end');
      files.set(format, buf);
    }
    const { width, height } = masks;

    // DAVIS: palette indices equal the masks (higher id on top).
    const davis = readZip(files.get('davis')!);
    assert.equal(davis.length, FRAMES);
    davis.forEach((entry, i) => {
      const expected = new Uint8Array(width * height);
      for (const id of [...result.objects].sort((a, b) => a - b))
        served(masks, i, id).forEach((v, p) => v && (expected[p] = id));
      assert.ok(Buffer.from(readMaskPng(entry.data()).labels).equals(Buffer.from(expected)), `davis frame ${i}`);
    });

    // COCO: one category per label; RLE decodes to identical masks.
    const coco = JSON.parse(files.get('coco')!.toString('utf8')) as {
      categories: { name: string }[];
      annotations: {
        frame_index: number;
        track_id: number;
        segmentation: { size: [number, number]; counts: string };
      }[];
    };
    assert.deepEqual(
      coco.categories.map((c) => c.name),
      LABELS,
    );
    let checked = 0;
    masks.frames.forEach((f, i) => {
      for (const id of result.objects) {
        const a = coco.annotations.find((x) => x.frame_index === f.frame && x.track_id === id);
        const expected = served(masks, i, id);
        if (!expected.some(Boolean)) continue;
        assert.ok(a, `coco annotation of ${id} on ${f.frame}`);
        assert.ok(
          Buffer.from(fromCocoRle(a.segmentation).data).equals(Buffer.from(expected)),
          `coco ${id} frame ${f.frame}`,
        );
        checked++;
      }
    });
    assert.ok(checked >= FRAMES);

    // YOLO: polygons rasterise to IoU >= 0.95 per class.
    const yolo = new Map(
      readZip(files.get('yolo')!).map((e) => [e.name, e.method === 8 ? inflateRawSync(e.data()) : e.data()]),
    );
    masks.frames.forEach((f, i) => {
      const txt = yolo.get(`labels/${String(f.frame).padStart(5, '0')}.txt`)!.toString();
      const rings = new Map<number, number[][]>();
      for (const line of txt.split('\n').filter(Boolean)) {
        const [cls, ...coords] = line.split(' ').map(Number);
        rings.set(cls!, [...(rings.get(cls!) ?? []), coords.map((v, k) => v * (k % 2 ? height : width))]);
      }
      result.objects.forEach((id, cls) => {
        const truth = { width, height, data: served(masks, i, id) };
        const drawn = fillPolygons(rings.get(cls) ?? [], width, height, 'union');
        if (truth.data.some(Boolean) || drawn.data.some(Boolean))
          assert.ok(jaccard(drawn, truth) >= 0.95, `yolo class ${cls} frame ${f.frame}: ${jaccard(drawn, truth)}`);
      });
    });

    // CVAT: parses, one track per object with a shape on every frame.
    const doc = parseXml(files.get('cvat')!.toString('utf8'));
    assert.equal(child(doc, 'version').text, '1.1');
    const tracks = doc.children.filter((c) => c.name === 'track');
    assert.deepEqual(
      tracks.map((t) => t.attrs['label']),
      LABELS,
    );
    for (const t of tracks)
      assert.deepEqual(
        t.children.filter((c) => c.name === 'polygon').map((s) => Number(s.attrs['frame'])),
        masks.frames.map((f) => f.frame),
      );

    assert.equal(files.get('mp4')!.subarray(4, 8).toString('latin1'), 'ftyp');
  });

  test('CLI: submit with --click/--label and --wait, then a correction round changes the clicked frame', async () => {
    const c = clicks[0]!;
    const clip = await testClip(FRAMES, 2, 'sdk');
    const sub = await cli(stack, api, [
      'submit',
      clip.mp4Path!,
      '--click',
      `${c.x},${c.y}@${c.frame}`,
      '--label',
      'dog',
      '--wait',
    ]);
    assert.equal(sub.code, 0, sub.stderr);
    const jobId = sub.stdout.trim().split('\n')[0]!;
    assert.match(sub.stderr, /job [0-9a-f]{8} \[#+\]/);
    const job = await api.call<{ status: string; currentRound: number }>('GET', `/v1/jobs/${jobId}`);
    assert.deepEqual([job.body.status, job.body.currentRound], ['SUCCEEDED', 1]);
    const before = await api.client.masklets(jobId);
    assert.deepEqual(
      before.frames[c.frame]!.objects.map((o) => o.objectId),
      [1],
    );

    // A negative click in the middle of object 1 on its prompt frame must carve the mask there.
    const frame = FRAMES - 4;
    const m = served(before, frame, 1);
    const ys: number[] = [];
    const xs: number[] = [];
    m.forEach((v, p) => v && (ys.push(Math.floor(p / before.width)), xs.push(p % before.width)));
    assert.ok(xs.length > 0, 'object 1 visible on the corrected frame');
    const mid = Math.floor(xs.length / 2);
    const corr = await cli(stack, api, [
      'correct',
      jobId,
      '--object',
      '1',
      '--negative',
      `${xs[mid]},${ys[mid]}@${frame}`,
      '--wait',
    ]);
    assert.equal(corr.code, 0, corr.stderr);
    assert.equal((JSON.parse(corr.stdout.split('\n')[0]!) as { round: number }).round, 2);
    const afterMasks = await api.client.masklets(jobId);
    const job2 = await api.call<{ status: string; currentRound: number }>('GET', `/v1/jobs/${jobId}`);
    assert.deepEqual([job2.body.status, job2.body.currentRound], ['SUCCEEDED', 2]);
    assert.ok(!Buffer.from(served(afterMasks, frame, 1)).equals(Buffer.from(m)), 'the corrected frame changed');
  });

  test('CLI: batch submit of a manifest (a local file and a registered s3:// object), a --mask prompt; SDK preview', async () => {
    const clip = await testClip(FRAMES, 2, 'sdk');
    const key = `incoming/${api.tenantId}/clip.mp4`;
    await stack.env.store.putBuffer(key, await readFile(clip.mp4Path!), 'video/mp4');
    const [a, b] = clicks as [(typeof clicks)[0], (typeof clicks)[0]];
    const manifest = join(out, 'manifest.csv');
    await writeFile(
      manifest,
      `video,click,label,frame\n${clip.mp4Path},"${a.x},${a.y}",${a.label},${a.frame}\ns3://${stack.config.S3_BUCKET}/${key},"${b.x},${b.y}@${b.frame}",${b.label},\n`,
    );
    const batch = await cli(stack, api, ['batch', 'submit', manifest, '--name', 'sdk', '--wait']);
    assert.equal(batch.code, 0, batch.stderr);
    const batchId = batch.stdout.trim().split('\n')[0]!;
    const view = await api.call<{ counts: Record<string, number> }>('GET', `/v1/batches/${batchId}`);
    assert.equal(view.body.counts['SUCCEEDED'], 2, JSON.stringify(view.body));
    assert.match(batch.stderr, /batch [0-9a-f]{8} \[#+\] 100\.0%/);

    // A mask prompt: object 2's true mask on its first frame, as a palette PNG; the served mask there follows it.
    const truth = await truthMask(clip, b.id, b.frame);
    await writeFile(join(out, 'first.png'), writeIndexedPng(truth, masks.width, masks.height));
    const sub = await cli(stack, api, [
      'submit',
      `video:${(await api.call<{ videoId: string }>('GET', `/v1/jobs/${result.jobId}`)).body.videoId}`,
      '--mask',
      `${join(out, 'first.png')}@${b.frame}`,
      '--label',
      b.label,
      '--object',
      String(b.id),
      '--wait',
    ]);
    assert.equal(sub.code, 0, sub.stderr);
    const got = await api.client.masklets(sub.stdout.trim().split('\n')[0]!);
    const onFrame = got.frames.find((f) => f.frame === b.frame)!.objects.find((o) => o.objectId === b.id)!;
    const iou = jaccard(fromCocoRle(onFrame.rle), {
      width: masks.width,
      height: masks.height,
      data: truth.map((v) => (v ? 1 : 0)),
    });
    assert.ok(iou >= 0.8, `mask prompt IoU ${iou}`);

    const pv = await python(stack, api, [
      join('test', 'sdk', 'sdk_flow.py'),
      'preview',
      result.jobId,
      String(a.frame),
      String(a.id),
      String(a.x),
      String(a.y),
    ]);
    assert.equal(pv.code, 0, pv.stderr);
    const p = JSON.parse(pv.stdout) as { area: number; shape: number[]; result: number };
    assert.deepEqual(p.shape, [masks.height, masks.width]);
    assert.equal(p.area, p.result);
    assert.ok(p.area > 0);
  });

  test("bad input: unknown format and another tenant's job give typed errors naming the problem", async () => {
    const own = await python(stack, api, [join('test', 'sdk', 'sdk_flow.py'), 'errors', result.jobId]);
    assert.equal(own.code, 0, own.stderr);
    const got = JSON.parse(own.stdout) as Record<
      string,
      { class: string; bases: string[]; status: number; code: string; message: string } | null
    >;
    assert.deepEqual(
      [got['format']!.class, got['format']!.status, got['format']!.code],
      ['UnknownFormatError', 422, 'UNKNOWN_FORMAT'],
    );
    assert.match(got['format']!.message, /"tiff".*coco, davis, yolo, cvat, mp4/);
    assert.equal(got['job'], null);
    const theirs = JSON.parse(
      (await python(stack, other, [join('test', 'sdk', 'sdk_flow.py'), 'errors', result.jobId])).stdout,
    ) as typeof got;
    for (const k of ['format', 'job', 'masks']) {
      assert.deepEqual(
        [theirs[k]!.class, theirs[k]!.status, theirs[k]!.code],
        ['NotFoundError', 404, 'JOB_NOT_FOUND'],
        k,
      );
      assert.match(theirs[k]!.message, new RegExp(result.jobId));
    }
    const cliOther = await cli(stack, other, ['download', result.jobId, '--format', 'coco', '-o', join(out, 'x.json')]);
    assert.equal(cliOther.code, 1);
    assert.match(cliOther.stderr, new RegExp(`masklet: error: JOB_NOT_FOUND \\(404\\): job ${result.jobId} not found`));
    const cliFormat = await cli(stack, api, ['download', result.jobId, '--format', 'tiff']);
    assert.equal(cliFormat.code, 2);
    assert.match(cliFormat.stderr, /unknown format 'tiff': choose one of coco, davis, yolo, cvat, mp4/);
  });
});
