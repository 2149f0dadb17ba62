import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openImageDirectory } from './image-dir-source';
import { everyNthFrame } from './strided-source';
import { writeSyntheticClip } from './synthetic';
import { makeTempDir, sha1 } from './test-helpers';

test('every n-th frame: frame i is the inner frame i * n, the count rounds up, the ends are enforced', async () => {
  const tmp = await makeTempDir('strided');
  try {
    await writeSyntheticClip({ outDir: tmp.dir, frames: 10, seed: 3 });
    const inner = await openImageDirectory(join(tmp.dir, 'frames'));
    const strided = everyNthFrame(inner, 3);
    assert.deepEqual(strided.info, { ...inner.info, numFrames: 4 });
    for (const i of [0, 1, 3])
      assert.equal(sha1(await strided.readSquare(i, 64)), sha1(await inner.readSquare(i * 3, 64)), `frame ${i}`);
    assert.notEqual(sha1(await strided.readSquare(1, 64)), sha1(await inner.readSquare(1, 64)));
    await assert.rejects(strided.readSquare(4, 64), RangeError);
    assert.equal(everyNthFrame(inner, 1), inner);
    assert.throws(() => everyNthFrame(inner, 0), /positive integer/);
    assert.throws(() => everyNthFrame(inner, 1.5), /positive integer/);
    await strided.close();
  } finally {
    await tmp.cleanup();
  }
});
