import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { openVideoFile, type VideoFileOptions, type VideoFileSource } from './video-file-source';
import { probeVideo } from './ffprobe';
import { VideoDecodeError } from './errors';
import { streamFrames } from './stream-frames';
import { syntheticFrameSource, writeSyntheticClip } from './synthetic';
import { makeTempDir, sha1, shuffled } from './test-helpers';

const FRAMES = 48;
const GOP = 12; // keyframes at 0, 12, 24, 36: random and backward reads really seek
const SIZE = 128;
const K = 8;
const DOG = '/work/shared/data/videos/01_dog.mp4';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
let mp4: string;
/** sha1 per frame index, from one plain forward pass; every other access pattern must reproduce it. */
let forward: string[];

function ffmpeg(...args: string[]): void {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', ...args]);
  assert.equal(r.status, 0, r.stderr?.toString());
}

/** Opens, runs, and always closes, so a failed assertion cannot leave an ffmpeg process behind. */
async function withSource<T>(
  path: string,
  opts: VideoFileOptions,
  fn: (src: VideoFileSource) => Promise<T>,
): Promise<T> {
  const src = await openVideoFile(path, opts);
  try {
    return await fn(src);
  } finally {
    await src.close();
  }
}

async function readAll(src: VideoFileSource, order: readonly number[], size = SIZE): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const i of order) {
    const frame = await src.readSquare(i, size);
    assert.equal(frame.length, size * size * 3);
    out.set(i, sha1(frame));
  }
  return out;
}

function assertMatchesForward(hashes: Map<number, string>, label: string): void {
  for (const [i, h] of hashes) assert.equal(h, forward[i], `${label}: frame ${i} differs from the forward pass`);
}

before(async () => {
  tmp = await makeTempDir('file');
  const clip = await writeSyntheticClip({
    outDir: tmp.dir,
    frames: FRAMES,
    seed: 21,
    frameFiles: false,
    mp4: { gop: GOP },
    scenario: { occlusion: true, lateObject: true },
  });
  mp4 = clip.mp4Path!;
  await withSource(mp4, {}, async (src) => {
    const all = Array.from({ length: FRAMES }, (_, i) => i);
    const hashes = await readAll(src, all);
    forward = all.map((i) => hashes.get(i)!);
    assert.equal(src.stats().decoderStarts, 1, 'a forward pass uses one ffmpeg process');
  });
});

after(async () => {
  await tmp.cleanup();
});

test('mp4 round trip: probe reports what was encoded, pixels survive the codec', async () => {
  const p = await probeVideo(mp4);
  assert.equal(p.numFrames, FRAMES);
  assert.equal(p.width, 854);
  assert.equal(p.height, 480);
  assert.equal(p.fps, 24);
  assert.equal(p.codec, 'h264');
  assert.equal(p.hasAudio, false);
  assert.ok(p.sizeBytes && p.sizeBytes > 0);
  assert.ok(Math.abs(p.durationSec - FRAMES / 24) < 0.05);
  assert.equal(new Set(forward).size, FRAMES, 'every frame differs (objects move)');

  // crf 12 is near-lossless: decoded frame ~ rendered frame. Catches channel swaps and range mistakes.
  const rendered = await syntheticFrameSource({
    frames: FRAMES,
    seed: 21,
    scenario: { occlusion: true, lateObject: true },
  }).readSquare(30, SIZE);
  const decoded = await withSource(mp4, {}, (src) => src.readSquare(30, SIZE));
  let diff = 0;
  for (let i = 0; i < decoded.length; i++) diff += Math.abs(decoded[i]! - rendered[i]!);
  assert.ok(diff / decoded.length < 4, `mean abs difference ${diff / decoded.length}`);
});

test('random-order reads are bit-identical to the forward pass', async () => {
  await withSource(mp4, {}, async (src) => {
    assertMatchesForward(
      await readAll(
        src,
        shuffled(
          forward.map((_, i) => i),
          7,
        ),
      ),
      'random',
    );
    // Short forward gaps reuse the running decoder, long ones across a keyframe restart it.
    const before = src.stats().decoderStarts;
    assertMatchesForward(await readAll(src, [3, 5, 6, 40, 41, 20]), 'jumps');
    assert.equal(src.stats().decoderStarts - before, 3, '3 (start), 40 (past keyframes), 20 (backwards jump)');
  });
});

test('backward reads are bit-identical and hold at most K frames', async () => {
  const src = await openVideoFile(mp4, { reverseChunkFrames: K });
  try {
    const order = Array.from({ length: FRAMES }, (_, i) => FRAMES - 1 - i);
    const hashes = new Map<number, string>();
    for (const i of order) {
      hashes.set(i, sha1(await src.readSquare(i, SIZE)));
      assert.ok(src.stats().bufferedFrames <= K);
    }
    assertMatchesForward(hashes, 'backward');
    const s = src.stats();
    assert.ok(s.maxBufferedFrames <= K, `buffered ${s.maxBufferedFrames} > K`);
    assert.equal(s.maxBufferedFrames, K);
    // Frame 47 is a plain seek; 46..0 are ceil(47 / K) chunks, not one decode per frame.
    assert.equal(s.chunkLoads, Math.ceil((FRAMES - 1) / K));
    assert.equal(s.decoderStarts, 1 + s.chunkLoads);

    // Back and forth inside a chunk is served from memory; leaving it forward drops it.
    assertMatchesForward(await readAll(src, [3, 1, 2, 0, 30, 29, 28]), 'mixed');
  } finally {
    await src.close();
  }
  await assert.rejects(src.readSquare(0, SIZE), /closed/);
});

test('edit lists, MKV and MPEG-TS: frame counts and seeks stay exact', async () => {
  // Stream-copying from a non-keyframe makes an MP4 whose edit list hides the leading frames:
  // nb_frames counts them, the decoder does not output them.
  const cut = join(tmp.dir, 'cut.mp4');
  ffmpeg('-ss', '0.3', '-i', mp4, '-c', 'copy', cut);
  let decoded = 0;
  for await (const f of streamFrames(cut, { size: 16 })) decoded = f.index + 1;
  const probe = await probeVideo(cut);
  assert.equal(probe.numFrames, decoded, 'probe counts frames the decoder outputs');
  const cutForward = await withSource(cut, {}, async (src) => {
    assert.equal(src.info.numFrames, decoded);
    return readAll(
      src,
      Array.from({ length: decoded }, (_, i) => i),
    );
  });
  const cutRandom = await withSource(cut, {}, (src) => readAll(src, shuffled([...cutForward.keys()], 3).slice(0, 12)));
  for (const [i, h] of cutRandom) assert.equal(h, cutForward.get(i), `cut.mp4 frame ${i}`);

  // Same bitstream in other containers decodes to the same frames.
  for (const ext of ['mkv', 'ts']) {
    const other = join(tmp.dir, `clip.${ext}`);
    ffmpeg('-i', mp4, '-c', 'copy', other);
    await withSource(other, { reverseChunkFrames: K }, async (src) => {
      assert.equal(src.info.numFrames, FRAMES, `${ext} frame count`);
      assertMatchesForward(await readAll(src, [30, 13, 12, 11, 47, 0]), ext);
    });
  }
});

test('streamFrames: native and square, with start/end', async () => {
  const native: number[] = [];
  for await (const f of streamFrames(mp4, { start: 10, end: 14 })) {
    assert.equal(f.width, 854);
    assert.equal(f.height, 480);
    assert.equal(f.rgb.length, 854 * 480 * 3);
    native.push(f.index);
  }
  assert.deepEqual(native, [10, 11, 12, 13]);
  const square = new Map<number, string>();
  for await (const f of streamFrames(mp4, { size: SIZE, start: 44 })) square.set(f.index, sha1(f.rgb));
  assert.deepEqual([...square.keys()], [44, 45, 46, 47]);
  assertMatchesForward(square, 'streamFrames');
  // Breaking early must not leave ffmpeg running or throw.
  for await (const f of streamFrames(mp4, { size: 32 })) if (f.index === 2) break;
});

test('truncated file: missing frames fail with VideoDecodeError, the source stays usable', async () => {
  const truncated = join(tmp.dir, 'truncated.mp4');
  const bytes = await readFile(mp4);
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await withSource(truncated, {}, async (src) => {
    let failures = 0;
    for (let i = 0; i < src.info.numFrames; i++) {
      await src.readSquare(i, 32).catch((err: unknown) => {
        assert.ok(err instanceof VideoDecodeError, String(err));
        failures++;
      });
    }
    assert.ok(failures <= 2, `${failures} of ${src.info.numFrames} frames failed`);
    assert.equal(sha1(await src.readSquare(3, SIZE)), forward[3]);
  });
});

test('rotation metadata: probe reports the displayed size and frames come out rotated', async () => {
  const rotated = join(tmp.dir, 'rotated.mp4');
  ffmpeg('-i', mp4, '-c', 'copy', '-metadata:s:v', 'rotate=90', rotated);
  const p = await probeVideo(rotated);
  assert.equal(Math.abs(p.rotation), 90);
  assert.deepEqual([p.width, p.height], [480, 854]);
  const first = async (path: string) => {
    for await (const f of streamFrames(path, { end: 1 })) return f;
    throw new Error('no frame');
  };
  const [upright, turned] = [await first(mp4), await first(rotated)];
  assert.deepEqual([turned.width, turned.height], [480, 854]);
  // Quarter turn counter-clockwise: upright (x, y) lands at turned (y, W-1-x). Chroma is resampled after
  // the turn, so compare loosely.
  let diff = 0;
  for (let y = 0; y < 480; y++) {
    for (let x = 0; x < 854; x++) {
      const a = (y * 854 + x) * 3;
      const b = ((853 - x) * 480 + y) * 3;
      for (let c = 0; c < 3; c++) diff += Math.abs(upright.rgb[a + c]! - turned.rgb[b + c]!);
    }
  }
  assert.ok(diff / upright.rgb.length < 3, `mean abs difference ${diff / upright.rgb.length}`);
});

test(
  'real clip 01_dog.mp4: audio track, 289 frames, seeks across its late keyframe',
  { skip: !existsSync(DOG) && 'clip not present' },
  async () => {
    // Its only keyframes are at 0 and ~250: compare a forward pass with seeks on both sides of 250.
    const fwd = new Map<number, string>();
    for await (const f of streamFrames(DOG, { size: 64, end: 262 })) if (f.index >= 245) fwd.set(f.index, sha1(f.rgb));
    await withSource(DOG, { reverseChunkFrames: K }, async (src) => {
      assert.deepEqual(src.info, { numFrames: 289, width: 1280, height: 720, fps: 30000 / 1001 });
      assert.equal(src.probe.hasAudio, true);
      for (let i = 0; i < 5; i++) {
        const frame = await src.readSquare(i, 256);
        assert.equal(frame.length, 256 * 256 * 3);
        assert.ok(frame.some((v) => v !== 0));
      }
      const picks = await readAll(src, [261, 250, 249, 248, 255, 245], 64);
      for (const [i, h] of picks) assert.equal(h, fwd.get(i), `dog frame ${i}`);
    });
  },
);
