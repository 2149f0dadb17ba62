// encodeRle/decodeRle/RleBuilder: COCO column-major order, hand-derived counts, random round trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, decodeRle, encodeRle, RleBuilder, type BinaryMask } from '@masklet/masks';
import { columnMajor, maskFromRows, randomMask, rng } from './test-support';

function assertMaskEqual(actual: BinaryMask, expected: BinaryMask): void {
  assert.equal(actual.width, expected.width);
  assert.equal(actual.height, expected.height);
  assert.deepEqual(
    Array.from(actual.data),
    Array.from(expected.data, (v) => (v ? 1 : 0)),
  );
}

describe('encodeRle / decodeRle', () => {
  it('walks columns, not rows (hand-derived 3x2 case)', () => {
    // width 3, height 2:
    //   row 0: 1 1 0
    //   row 1: 0 0 0
    // Column-major pixels: col0 = (1, 0), col1 = (1, 0), col2 = (0, 0) -> 1 0 1 0 0 0.
    // Runs starting with zeros: 0 zeros, 1 one, 1 zero, 1 one, 3 zeros -> [0, 1, 1, 1, 3].
    // (Row-major order would give 1 1 0 0 0 0 -> [0, 2, 4].)
    const mask = maskFromRows(['110', '000']);
    const rle = encodeRle(mask);
    assert.deepEqual(rle, { size: [2, 3], counts: [0, 1, 1, 1, 3] });
    assertMaskEqual(decodeRle(rle), mask);
  });

  it('starts with the zero run when the first pixel is background (hand-derived)', () => {
    //   row 0: 0 1 0
    //   row 1: 0 1 1
    // Column-major: 0 0 | 1 1 | 0 1 -> runs 2 zeros, 2 ones, 1 zero, 1 one -> [2, 2, 1, 1].
    const mask = maskFromRows(['010', '011']);
    assert.deepEqual(encodeRle(mask).counts, [2, 2, 1, 1]);
  });

  it('encodes the degenerate masks the way pycocotools does', () => {
    assert.deepEqual(encodeRle(createMask(4, 3)).counts, [12]);
    const full = createMask(4, 3);
    full.data.fill(1);
    assert.deepEqual(encodeRle(full).counts, [0, 12]);
    assert.deepEqual(encodeRle(createMask(0, 0)), { size: [0, 0], counts: [0] });
    assertMaskEqual(decodeRle({ size: [0, 0], counts: [0] }), createMask(0, 0));
  });

  it('treats any non-zero byte as foreground', () => {
    const mask = maskFromRows(['01', '10']);
    mask.data[1] = 255;
    assert.deepEqual(encodeRle(mask).counts, [1, 2, 1]);
  });

  it('round-trips random masks of many shapes and densities', () => {
    const rand = rng(1);
    for (let t = 0; t < 300; t++) {
      const w = 1 + Math.floor(rand() * 40);
      const h = 1 + Math.floor(rand() * 40);
      const density = [0, 1, 0.02, 0.5, 0.98][t % 5] as number;
      const mask = randomMask(rand, w, h, density, t % 7 === 0);
      if (t % 3 === 0) mask.data[0] = 1; // first pixel set -> leading zero count
      const rle = encodeRle(mask);
      assert.equal(
        rle.counts.reduce((a, b) => a + b, 0),
        w * h,
      );
      for (let i = 1; i < rle.counts.length; i++)
        assert.ok((rle.counts[i] as number) > 0, 'only the first count may be 0');
      assertMaskEqual(decodeRle(rle), mask);
    }
  });

  it('rejects RLE whose counts do not tile the image', () => {
    assert.throws(() => decodeRle({ size: [2, 2], counts: [1, 2] }), /sum to 3/);
    assert.throws(() => decodeRle({ size: [2, 2], counts: [5, -1] }), /non-negative/);
    assert.throws(() => decodeRle({ size: [2, 2], counts: [1.5, 2.5] }), /non-negative integers/);
  });

  it('decodes non-canonical RLE with empty interior runs', () => {
    // 0 zeros, 1 one, 0 zeros, 1 one, 2 zeros == two ones then two zeros.
    assertMaskEqual(decodeRle({ size: [2, 2], counts: [0, 1, 0, 1, 2] }), maskFromRows(['10', '10']));
  });
});

describe('RleBuilder', () => {
  it('matches encodeRle when fed pixel by pixel in column-major order', () => {
    const rand = rng(2);
    for (let t = 0; t < 100; t++) {
      const w = 1 + Math.floor(rand() * 30);
      const h = 1 + Math.floor(rand() * 30);
      const mask = randomMask(rand, w, h, rand(), t % 2 === 0);
      const builder = new RleBuilder(w, h);
      for (const v of columnMajor(mask)) builder.push(v);
      assert.deepEqual(builder.finish(), encodeRle(mask));
    }
  });

  it('merges adjacent equal runs and skips empty ones', () => {
    const rle = new RleBuilder(5, 2)
      .push(1, 2)
      .push(true, 1)
      .push(0, 0)
      .push(1, 0)
      .push(0, 3)
      .push(false, 1)
      .push(7, 3)
      .finish();
    assert.deepEqual(rle, { size: [2, 5], counts: [0, 3, 4, 3] });
  });

  it('refuses to overflow, to finish short, or to be reused', () => {
    assert.throws(() => new RleBuilder(2, 2).push(1, 5), /5 pixels/);
    assert.throws(() => new RleBuilder(2, 2).push(1, 3).finish(), /3 of 4/);
    assert.throws(() => new RleBuilder(2, 2).push(0, -1), /non-negative/);
    const b = new RleBuilder(1, 1);
    b.push(1).finish();
    assert.throws(() => b.push(0), /after finish/);
    assert.throws(() => b.finish(), /twice/);
  });

  it('encodes an empty image as [0], like encodeRle', () => {
    assert.deepEqual(new RleBuilder(0, 3).finish(), encodeRle(createMask(0, 3)));
  });
});
