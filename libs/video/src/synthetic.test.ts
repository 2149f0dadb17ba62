import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { syntheticFrameSource, writeSyntheticClip, frameFileName, type SyntheticClipMeta } from './synthetic';
import { makeTempDir, sha1 } from './test-helpers';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
before(async () => {
  tmp = await makeTempDir('synthetic');
});
after(async () => {
  await tmp.cleanup();
});

async function readMask(dir: string, id: number, f: number): Promise<Uint8Array> {
  const file = join(dir, 'masks', String(id), frameFileName(f, 'png'));
  const meta = await sharp(file).metadata();
  assert.deepEqual(
    [meta.channels, meta.depth, meta.width, meta.height],
    [1, 'uchar', 854, 480],
    'masks are 8-bit grayscale PNGs',
  );
  // sharp widens grey to sRGB on raw output unless asked to keep one channel.
  return sharp(file).extractChannel(0).raw().toBuffer();
}

function area(mask: Uint8Array): number {
  let n = 0;
  let other = 0;
  for (const v of mask) {
    if (v === 255) n++;
    else if (v !== 0) other++;
  }
  assert.equal(other, 0, 'mask values are 0 or 255');
  return n;
}

test('occlusion clip: disjoint masks, object hidden for a span then back, meta matches the mask files', async () => {
  const outDir = join(tmp.dir, 'occ');
  const frames = 40;
  const { meta } = await writeSyntheticClip({
    outDir,
    frames,
    seed: 11,
    scenario: { objects: 3, occlusion: { start: 14, end: 22 } },
  });
  const onDisk = JSON.parse(await readFile(join(outDir, 'meta.json'), 'utf8')) as SyntheticClipMeta;
  assert.deepEqual(onDisk, meta);
  assert.equal(meta.objects.length, 3);
  const jpeg = await sharp(join(outDir, 'frames', '00000.jpg')).metadata();
  assert.deepEqual([jpeg.width, jpeg.height, jpeg.format], [854, 480, 'jpeg']);

  for (let f = 0; f < frames; f++) {
    const masks = await Promise.all(meta.objects.map((o) => readMask(outDir, o.id, f)));
    const owner = new Uint8Array(854 * 480);
    masks.forEach((m, k) => {
      const o = meta.objects[k]!;
      assert.equal(area(m), o.area[f], `area of object ${o.id} at frame ${f}`);
      assert.equal(o.visible[f], o.area[f]! > 0);
      let overlaps = 0;
      for (let i = 0; i < m.length; i++) {
        if (!m[i]) continue;
        if (owner[i]) overlaps++;
        owner[i] = o.id;
      }
      assert.equal(overlaps, 0, `object ${o.id} overlaps another object's mask at frame ${f}`);
      const click = o.clicks[f];
      if (o.visible[f]) {
        assert.ok(click, `visible object ${o.id} has a click at frame ${f}`);
        assert.equal(m[click[1] * 854 + click[0]], 255, `click of object ${o.id} at frame ${f} is inside its mask`);
      } else {
        assert.equal(click, null);
      }
    });
  }

  const hidden = meta.objects[0]!;
  assert.equal(hidden.visible[0], true);
  for (let f = 14; f <= 22; f++) assert.equal(hidden.visible[f], false, `object 1 hidden at frame ${f}`);
  assert.ok(hidden.visible.slice(23).some(Boolean), 'object 1 comes back after the occlusion');
  assert.ok(meta.occluder, 'occluder mode records the occluder');
});

test('exit occlusion: the object leaves the frame and returns', async () => {
  const { meta } = await writeSyntheticClip({
    outDir: join(tmp.dir, 'exit'),
    frames: 30,
    seed: 5,
    frameFiles: false,
    scenario: { objects: 1, occlusion: { mode: 'exit', start: 10, end: 15 } },
  });
  const v = meta.objects[0]!.visible;
  assert.equal(meta.occluder, null);
  assert.equal(v[0], true);
  assert.ok(v.slice(10, 16).every((x) => !x));
  assert.equal(v[29], true);
});

test('late object: absent before frame k, visible from k', async () => {
  const outDir = join(tmp.dir, 'late');
  const k = 9;
  const { meta } = await writeSyntheticClip({
    outDir,
    frames: 16,
    seed: 3,
    frameFiles: false,
    scenario: { objects: 2, lateObject: { object: 1, frame: k } },
  });
  const late = meta.objects[1]!;
  assert.equal(late.firstVisibleFrame, k);
  assert.equal(meta.objects[0]!.firstVisibleFrame, 0);
  for (let f = 0; f < k; f++)
    assert.equal(area(await readMask(outDir, late.id, f)), 0, `late object absent at frame ${f}`);
  assert.ok(area(await readMask(outDir, late.id, k)) > 0);
});

test('same seed gives identical files, another seed does not', async () => {
  const hashes = async (name: string, seed: number) => {
    const outDir = join(tmp.dir, name);
    await writeSyntheticClip({
      outDir,
      width: 320,
      height: 240,
      frames: 6,
      seed,
      scenario: { occlusion: { start: 2, end: 3 }, lateObject: { frame: 2 } },
    });
    const files = [0, 2, 5].flatMap((f) => [
      join('frames', frameFileName(f, 'jpg')),
      join('masks', '1', frameFileName(f, 'png')),
      join('masks', '2', frameFileName(f, 'png')),
    ]);
    return Promise.all([...files, 'meta.json'].map(async (p) => sha1(await readFile(join(outDir, p)))));
  };
  const a = await hashes('det-a', 42);
  assert.deepEqual(await hashes('det-b', 42), a);
  assert.notDeepEqual(await hashes('det-c', 43), a);
});

test('syntheticFrameSource renders any frame on demand, deterministically, matching the clip writer', async () => {
  const opts = { frames: 3000, seed: 9, scenario: { occlusion: true, lateObject: true } } as const;
  const src = syntheticFrameSource(opts);
  assert.deepEqual(src.info, { numFrames: 3000, width: 854, height: 480, fps: 24 });
  const late = await src.readSquare(2999, 256);
  const early = await src.readSquare(0, 256);
  assert.equal(early.length, 256 * 256 * 3);
  assert.equal(
    sha1(await syntheticFrameSource(opts).readSquare(2999, 256)),
    sha1(late),
    'out-of-order render is identical',
  );
  assert.equal(sha1(await src.readSquare(0, 256)), sha1(early));
  await assert.rejects(src.readSquare(3000, 256), RangeError);

  // The on-disk masks of a shorter clip with the same seed and scenario are this source's label maps.
  const outDir = join(tmp.dir, 'src-vs-clip');
  await writeSyntheticClip({ ...opts, frames: 8, outDir, frameFiles: false });
  const short = syntheticFrameSource({ ...opts, frames: 8 });
  const { labels } = short.render(5);
  const mask = await readMask(outDir, 2, 5);
  let mismatches = 0;
  for (let i = 0; i < labels.length; i++) if ((mask[i] === 255) !== (labels[i] === 2)) mismatches++;
  assert.equal(mismatches, 0);
  assert.deepEqual(
    short.truth(5).map((t) => t.area),
    [1, 2].map((id) => labels.filter((l) => l === id).length),
  );
  await src.close();
});

test('lanes: each object stays in its own strip, so objects never overlap; the neutral background holds no object-like colour', async () => {
  const src = syntheticFrameSource({
    frames: 240,
    seed: 'demo',
    scenario: { objects: 3, lanes: true, background: 'neutral' },
  });
  const lane = src.info.width / 3;
  for (let f = 0; f < 240; f += 7) {
    const { labels, rgb } = src.render(f);
    for (let i = 0; i < labels.length; i++) {
      const id = labels[i]!;
      if (id === 0) {
        // Saturation (max - min) of the background: far below the objects' (0.6..0.9 of their value).
        const r = rgb[i * 3]!,
          g = rgb[i * 3 + 1]!,
          b = rgb[i * 3 + 2]!;
        assert.ok(
          Math.max(r, g, b) - Math.min(r, g, b) <= 32,
          `frame ${f}: background pixel ${i} is coloured (${r},${g},${b})`,
        );
        continue;
      }
      const x = i % src.info.width;
      assert.ok(x >= (id - 1) * lane && x < id * lane, `frame ${f}: object ${id} at x=${x}, outside its lane`);
    }
    // Every object is on screen on every frame (none leaves its lane or the frame).
    assert.deepEqual(
      src.truth(f).map((t) => t.area > 0),
      [true, true, true],
    );
  }
  await src.close();
});
