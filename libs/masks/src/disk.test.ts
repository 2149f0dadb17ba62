// Disk kernel rows, sparse dilation queries and dilation vs stamping the kernel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countWithinDisk, dilateDisk, diskRowHalfWidths, rowPointsFromMask, rowPointsToMask } from '@masklet/masks';
import { naiveDilate, randomMask, rng } from './test-support';

describe('disk morphology', () => {
  it('builds the skimage disk rows', () => {
    assert.deepEqual(Array.from(diskRowHalfWidths(0)), [0]);
    assert.deepEqual(Array.from(diskRowHalfWidths(1)), [0, 1, 0]); // a plus sign
    assert.deepEqual(Array.from(diskRowHalfWidths(2)), [0, 1, 2, 1, 0]);
    // r = 5: dy = 3 gives dx <= 4 exactly (3-4-5 triangle), the case float sqrt must not miss.
    assert.deepEqual(Array.from(diskRowHalfWidths(5)), [0, 3, 4, 4, 4, 5, 4, 4, 4, 3, 0]);
    assert.throws(() => diskRowHalfWidths(1.5), /integer/);
  });

  it('stores masks as row points and back without loss', () => {
    const rand = rng(14);
    for (let t = 0; t < 50; t++) {
      const m = randomMask(rand, Math.floor(rand() * 30), Math.floor(rand() * 30), rand());
      const p = rowPointsFromMask(m);
      assert.equal(
        p.xs.length,
        m.data.reduce((s, v) => s + v, 0),
      );
      assert.deepEqual(rowPointsToMask(p), m);
    }
  });

  it('dilates exactly like stamping the kernel, including at the borders', () => {
    const rand = rng(10);
    for (let t = 0; t < 60; t++) {
      const m = randomMask(rand, 1 + Math.floor(rand() * 40), 1 + Math.floor(rand() * 40), rand() * 0.05);
      const r = Math.floor(rand() * 9);
      assert.deepEqual(dilateDisk(m, r).data, naiveDilate(m, r).data, `t=${t} r=${r}`);
    }
  });

  it('counts points inside the dilation without building it', () => {
    const rand = rng(11);
    for (let t = 0; t < 60; t++) {
      const w = 1 + Math.floor(rand() * 40);
      const h = 1 + Math.floor(rand() * 40);
      const points = randomMask(rand, w, h, rand() * 0.3);
      const targets = randomMask(rand, w, h, rand() * 0.05);
      const r = Math.floor(rand() * 9);
      const dil = naiveDilate(targets, r);
      const expected = points.data.reduce((s, v, i) => s + (v && dil.data[i] ? 1 : 0), 0);
      assert.equal(countWithinDisk(rowPointsFromMask(points), rowPointsFromMask(targets), r), expected);
    }
  });
});
