import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BinaryMask } from '@masklet/masks';
import { correctiveClick, largestComponent } from './simulated-annotator';

function rect(width: number, height: number, boxes: [number, number, number, number][]): BinaryMask {
  const data = new Uint8Array(width * height);
  for (const [x0, y0, x1, y1] of boxes)
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 1;
  return { width, height, data };
}

test('largestComponent keeps the biggest 4-connected region only', () => {
  const m = rect(20, 10, [
    [0, 0, 3, 3],
    [10, 2, 16, 8],
  ]);
  const { mask, area } = largestComponent(m);
  assert.equal(area, 36);
  assert.equal(mask.data[0], 0);
  assert.equal(mask.data[5 * 20 + 12], 1);
  // Diagonal touch is not a connection.
  assert.equal(
    largestComponent(
      rect(4, 4, [
        [0, 0, 1, 1],
        [1, 1, 2, 2],
      ]),
    ).area,
    1,
  );
  assert.equal(largestComponent(rect(4, 4, [])).area, 0);
});

test('correctiveClick: positive at the centre of the largest miss, negative on the largest false region', () => {
  const truth = rect(40, 20, [[0, 0, 20, 20]]);
  const pred = rect(40, 20, [[0, 0, 8, 20]]);
  const pos = correctiveClick(pred, truth)!;
  assert.equal(pos.label, 1);
  assert.equal(pos.regionArea, 12 * 20);
  assert.ok(
    pos.x >= 12 && pos.x <= 15 && pos.y >= 5 && pos.y <= 14,
    `centre of the missed band, got ${pos.x},${pos.y}`,
  );
  const over = rect(40, 20, [
    [0, 0, 20, 20],
    [24, 2, 38, 18],
  ]);
  const neg = correctiveClick(over, truth)!;
  assert.equal(neg.label, 0);
  assert.ok(neg.x >= 24 && neg.x < 38);
  assert.equal(correctiveClick(truth, truth), null);
});
