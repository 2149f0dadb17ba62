// Area, box and IoU from runs must equal the same quantities counted on decoded pixels.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRle, jaccard, rleArea, rleBoundingBox, rleIou, type BinaryMask, type BoundingBox } from '@masklet/masks';
import { maskFromRows, randomMask, rng } from './test-support';

function pixelArea(mask: BinaryMask): number {
  return mask.data.reduce((s, v) => s + (v ? 1 : 0), 0);
}

function pixelBox(mask: BinaryMask): BoundingBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

describe('rle geometry', () => {
  it('matches pixel counting on random masks', () => {
    const rand = rng(5);
    for (let t = 0; t < 300; t++) {
      const w = 1 + Math.floor(rand() * 40);
      const h = 1 + Math.floor(rand() * 40);
      // Sparse masks make boxes that do not span the frame, the interesting case.
      const density = [0, 0.003, 0.02, 0.3, 1][t % 5] as number;
      const a = randomMask(rand, w, h, density, t % 4 === 0);
      const b = randomMask(rand, w, h, [0, 0.01, 0.5][t % 3], t % 3 === 0);
      const ra = encodeRle(a);
      const rb = encodeRle(b);
      assert.equal(rleArea(ra), pixelArea(a));
      assert.deepEqual(rleBoundingBox(ra), pixelBox(a));
      assert.equal(rleIou(ra, rb), jaccard(a, b));
      assert.equal(rleIou(rb, ra), jaccard(a, b));
    }
  });

  it('boxes a run that wraps into the next column at full height', () => {
    // Column-major run from (x=0, y=2) to (x=1, y=0): covers the bottom and the top row.
    const mask = maskFromRows(['01', '00', '10']);
    assert.deepEqual(rleBoundingBox(encodeRle(mask)), [0, 0, 2, 3]);
  });

  it('handles single pixels, empty masks and identical masks', () => {
    const dot = maskFromRows(['000', '001', '000']);
    assert.deepEqual(rleBoundingBox(encodeRle(dot)), [2, 1, 1, 1]);
    const empty = encodeRle(maskFromRows(['000', '000']));
    assert.deepEqual(rleBoundingBox(empty), [0, 0, 0, 0]);
    assert.equal(rleArea(empty), 0);
    assert.equal(rleIou(empty, empty), 1);
    const one = encodeRle(maskFromRows(['010', '000']));
    assert.equal(rleIou(one, empty), 0);
    assert.equal(rleIou(one, one), 1);
  });

  it('rejects IoU between different sizes', () => {
    assert.throws(() => rleIou({ size: [2, 3], counts: [6] }, { size: [3, 2], counts: [6] }), /sizes differ/);
  });

  it('copes with non-canonical runs (zero-length interior counts)', () => {
    const a = { size: [2, 2] as [number, number], counts: [0, 1, 0, 1, 2] }; // == [0, 2, 2]
    const b = { size: [2, 2] as [number, number], counts: [1, 2, 1] };
    assert.equal(rleIou(a, b), 1 / 3);
    assert.deepEqual(rleBoundingBox(a), [0, 0, 1, 2]);
  });
});
