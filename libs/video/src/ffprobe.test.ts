import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { probeVideo } from './ffprobe';
import { VideoProbeError, type VideoProbeErrorCode } from './errors';
import { makeTempDir } from './test-helpers';

const DOG = '/work/shared/data/videos/01_dog.mp4';
const BLACKSWAN_FRAME = '/work/shared/data/davis2016/blackswan/frames/00000.jpg';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
before(async () => {
  tmp = await makeTempDir('probe');
});
after(async () => {
  await tmp.cleanup();
});

async function assertProbeError(path: string, code: VideoProbeErrorCode): Promise<void> {
  await assert.rejects(probeVideo(path), (err: unknown) => {
    assert.ok(err instanceof VideoProbeError, `expected VideoProbeError, got ${String(err)}`);
    assert.equal(err.code, code, `${path}: ${err.message} (${err.detail ?? ''})`);
    return true;
  });
}

test('text, empty and missing files are rejected with typed codes', async () => {
  const text = join(tmp.dir, 'notes.mp4');
  await writeFile(text, 'this is not a video, even with an .mp4 name\n'.repeat(20));
  await assertProbeError(text, 'not_a_video');
  const txt = join(tmp.dir, 'notes.txt');
  await writeFile(txt, 'hello\n');
  await assertProbeError(txt, 'not_a_video');
  const empty = join(tmp.dir, 'empty.mp4');
  await writeFile(empty, '');
  await assertProbeError(empty, 'not_a_video');
  await assertProbeError(join(tmp.dir, 'missing.mp4'), 'probe_failed');
});

test('a still image is not a video; an audio-only file has no video stream', async () => {
  const png = join(tmp.dir, 'still.png');
  const r1 = spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=red:s=32x32',
    '-frames:v',
    '1',
    png,
  ]);
  assert.equal(r1.status, 0, r1.stderr?.toString());
  await assertProbeError(png, 'not_a_video');
  if (existsSync(BLACKSWAN_FRAME)) {
    const jpg = join(tmp.dir, 'frame.jpg');
    await copyFile(BLACKSWAN_FRAME, jpg);
    await assertProbeError(jpg, 'not_a_video');
  }
  const m4a = join(tmp.dir, 'tone.m4a');
  const r2 = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=d=0.5', m4a]);
  assert.equal(r2.status, 0, r2.stderr?.toString());
  await assertProbeError(m4a, 'no_video_stream');
});

test('real clip 01_dog.mp4', { skip: !existsSync(DOG) && 'clip not present' }, async () => {
  const p = await probeVideo(DOG);
  assert.equal(p.numFrames, 289);
  assert.equal(p.hasAudio, true);
  assert.equal(p.width, 1280);
  assert.equal(p.height, 720);
  assert.ok(Math.abs(p.fps - 29.97) < 0.01);
  assert.equal(p.codec, 'h264');
  assert.ok(Math.abs(p.durationSec - 9.64) < 0.05);
  assert.equal(p.sizeBytes, 1738970);
});
