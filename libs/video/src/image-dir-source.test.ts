import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openImageDirectory } from './image-dir-source';
import { writeSyntheticClip } from './synthetic';
import { makeTempDir, sha1 } from './test-helpers';

const BLACKSWAN = '/work/shared/data/davis2016/blackswan/frames';

test('image directory source: DAVIS blackswan if present, else a synthetic clip', async () => {
  const tmp = await makeTempDir('images');
  try {
    let dir = BLACKSWAN;
    let expected = { numFrames: 50, width: 854, height: 480, fps: 24 };
    if (!existsSync(BLACKSWAN)) {
      await writeSyntheticClip({ outDir: tmp.dir, frames: 12, seed: 2 });
      dir = join(tmp.dir, 'frames');
      expected = { numFrames: 12, width: 854, height: 480, fps: 24 };
    }
    const src = await openImageDirectory(dir);
    assert.deepEqual(src.info, expected);
    assert.equal(src.files.length, expected.numFrames);
    assert.ok(src.files[0]!.endsWith('00000.jpg'));
    const first = await src.readSquare(0, 512);
    assert.equal(first.length, 512 * 512 * 3);
    assert.ok(
      first.some((v) => v !== 0),
      'frame 0 is not all zero',
    );
    const last = await src.readSquare(expected.numFrames - 1, 64);
    assert.equal(last.length, 64 * 64 * 3);
    assert.equal(sha1(await src.readSquare(0, 512)), sha1(first), 'reads are deterministic');
    assert.notEqual(sha1(await src.readSquare(1, 512)), sha1(first));
    await assert.rejects(src.readSquare(expected.numFrames, 64), RangeError);
    await assert.rejects(src.readSquare(0, 0), RangeError);
    await src.close();
    assert.equal((await openImageDirectory(dir, 30)).info.fps, 30);
  } finally {
    await tmp.cleanup();
  }
});
