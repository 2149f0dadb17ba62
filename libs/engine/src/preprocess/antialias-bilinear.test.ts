import { test } from 'node:test';
import assert from 'node:assert/strict';
import { antialiasWeights, resizeAntialiasedBilinear } from './antialias-bilinear';
import { maskToInputSquare, squareMaskToLowRes } from '../session/mask-prompt';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('downscaling stretches the triangle: 4 -> 2 taps 0.75, 0.75, 0.25 over their sum', () => {
  // scale 2, support 2; output 0 is centred at 1 and reads inputs 0..2 at distances 0.5, 0.5, 1.5 (/2).
  const w = antialiasWeights(4, 2);
  assert.deepEqual([w.start[0], w.size[0], w.start[1], w.size[1]], [0, 3, 1, 3]);
  close(w.weights[0]!, 0.75 / 1.75);
  close(w.weights[1]!, 0.75 / 1.75);
  close(w.weights[2]!, 0.25 / 1.75);
  const out = resizeAntialiasedBilinear(Float32Array.from([0, 0, 1, 1]), 1, 4, 1, 2);
  close(out[0]!, 0.25 / 1.75);
  close(out[1]!, 1.5 / 1.75);
});

test('upscaling is plain bilinear with half-pixel centres', () => {
  const out = resizeAntialiasedBilinear(Float32Array.from([0, 1]), 1, 2, 1, 4);
  assert.deepEqual([...out], [0, 0.25, 0.75, 1]);
});

test('the width is resampled before the height, in float32 steps', () => {
  // 2 x 4 -> 1 x 2: rows [0,0,1,1] and [1,1,1,1] become [1/7, 6/7] and [1, 1], then averaged.
  const out = resizeAntialiasedBilinear(Float32Array.from([0, 0, 1, 1, 1, 1, 1, 1]), 2, 4, 1, 2);
  const a = Math.fround(Math.fround(0.25 / 1.75));
  close(out[0]!, Math.fround(Math.fround(a * 0.5) + Math.fround(1 * 0.5)));
  assert.equal(out.length, 2);
});

test('a mask prompt is resized, thresholded at 0.5, and its presence decided after the resize', () => {
  const half = new Uint8Array(16).map((_, i) => (i % 4 >= 2 ? 1 : 0));
  const sq = maskToInputSquare({ width: 4, height: 4, data: half }, 2);
  assert.deepEqual([...sq.values], [0, 1, 0, 1]);
  assert.equal(sq.present, true);
  // One pixel of 16 x 16 weighs under 0.05 in a 4 x 4 square: the reference sees no object.
  const speck = new Uint8Array(256);
  speck[5 * 16 + 5] = 1;
  const gone = maskToInputSquare({ width: 16, height: 16, data: speck }, 4);
  assert.equal(gone.present, false);
  assert.ok(gone.values.every((v) => v === 0));
  // Already square: used as it is.
  const same = maskToInputSquare({ width: 2, height: 2, data: Uint8Array.from([0, 1, 0, 0]) }, 2);
  assert.deepEqual([...same.values], [0, 1, 0, 0]);
  assert.equal(same.present, true);
});

test('the square mask reaches the prompt encoder through the same resize', () => {
  const square = Float32Array.from([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  const low = squareMaskToLowRes(square, 4, 2);
  close(low[0]!, 0.25 / 1.75);
  close(low[1]!, 1.5 / 1.75);
});
