import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bicubicKernel, pilBicubicAxis, pilBicubicResize } from './pil-bicubic';

test("the cubic kernel is Pillow's (a = -0.5)", () => {
  assert.equal(bicubicKernel(0), 1);
  assert.equal(bicubicKernel(0.5), 0.5625);
  assert.equal(bicubicKernel(-1.5), -0.0625);
  assert.ok(bicubicKernel(1) === 0);
  assert.equal(bicubicKernel(2), 0);
});

test('downscaling 4 -> 2 stretches the kernel and rounds in 22-bit fixed point', () => {
  // scale 2: support 4, taps at (x - center + 0.5) / 2 = -0.25, 0.25, 0.75, 1.25 for output 0:
  // 0.8671875, 0.8671875, 0.2265625, -0.0703125, normalised by their sum 1.890625.
  const axis = pilBicubicAxis(4, 2);
  assert.deepEqual([axis.start[0], axis.size[0]], [0, 4]);
  const expected = [0.8671875, 0.8671875, 0.2265625, -0.0703125].map((w) =>
    Math.trunc((w / 1.890625) * 2 ** 22 + (w < 0 ? -0.5 : 0.5)),
  );
  assert.deepEqual([...axis.weights.subarray(0, 4)], expected);
  // Row [0, 0, 255, 255]: 255 * 0.15625 / 1.890625 = 21.07 -> 21; 255 * 1.734375 / 1.890625 = 233.93 -> 234.
  const rgb = Uint8Array.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
  assert.deepEqual([...pilBicubicResize(rgb, 4, 1, 2, 1)], [21, 21, 21, 234, 234, 234]);
});

test('overshoot clamps to 0..255 and flat areas stay flat', () => {
  const w = 8;
  const rgb = new Uint8Array(w * 3).map((_, i) => (Math.floor(i / 3) < 4 ? 0 : 255));
  const up = pilBicubicResize(rgb, w, 1, 16, 1);
  assert.ok(up.every((v) => v >= 0 && v <= 255));
  assert.equal(up[0], 0);
  assert.equal(up[up.length - 1], 255);
  const flat = pilBicubicResize(new Uint8Array(10 * 7 * 3).fill(200), 10, 7, 4, 3);
  assert.ok(flat.every((v) => v === 200));
});

test('the vertical pass alone, and the same size as a copy', () => {
  const col = Uint8Array.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
  assert.deepEqual([...pilBicubicResize(col, 1, 4, 1, 2)], [21, 21, 21, 234, 234, 234]);
  const same = pilBicubicResize(col, 1, 4, 1, 4);
  assert.deepEqual([...same], [...col]);
  assert.notEqual(same, col);
});
