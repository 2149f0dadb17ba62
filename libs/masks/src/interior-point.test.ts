import { test } from 'node:test';
import assert from 'node:assert/strict';
import { farthestInteriorPoint, squaredDistanceToBackground } from './interior-point';

test('the farthest interior point of a rectangle is its centre', () => {
  const width = 21;
  const height = 11;
  const data = new Uint8Array(width * height);
  for (let y = 2; y <= 8; y++) for (let x = 3; x <= 17; x++) data[y * width + x] = 1;
  const p = farthestInteriorPoint({ width, height, data });
  assert.ok(p);
  assert.equal(p.y, 5);
  assert.ok(p.x >= 6 && p.x <= 14, `x=${p.x} lies on the rectangle's medial axis`);
  assert.equal(p.distance, 4);
});

test('distance matches brute force on a random blob; the image border counts as background', () => {
  const width = 15;
  const height = 9;
  const data = new Uint8Array(width * height).map((_, i) => ((i * 7919) % 13 < 10 ? 1 : 0));
  const dist = squaredDistanceToBackground({ width, height, data });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity;
      for (let yy = -1; yy <= height; yy++) {
        for (let xx = -1; xx <= width; xx++) {
          const inside = yy >= 0 && yy < height && xx >= 0 && xx < width;
          if (inside && data[yy * width + xx]) continue;
          best = Math.min(best, (x - xx) ** 2 + (y - yy) ** 2);
        }
      }
      assert.equal(dist[y * width + x], data[y * width + x] ? best : 0);
    }
  }
  assert.equal(farthestInteriorPoint({ width, height, data: new Uint8Array(width * height) }), null);
});
