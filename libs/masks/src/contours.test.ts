import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMask, type BinaryMask } from './binary-mask';
import { fillPolygons, outerContours, traceContours } from './contours';

function maskOf(rows: string[]): BinaryMask {
  const m = createMask(rows[0]!.length, rows.length);
  rows.forEach((r, y) => [...r].forEach((c, x) => (m.data[y * m.width + x] = c === '#' ? 1 : 0)));
  return m;
}

test('a single pixel is one square ring of area 1', () => {
  const rings = traceContours(maskOf(['...', '.#.', '...']));
  assert.deepEqual(rings, [{ points: [1, 1, 2, 1, 2, 2, 1, 2], area: 1 }]);
});

test('a rectangle keeps only its four corners, clockwise on screen (positive area)', () => {
  const [ring, ...rest] = traceContours(maskOf(['.....', '.###.', '.###.', '.....']));
  assert.equal(rest.length, 0);
  assert.deepEqual(ring!.points, [1, 1, 4, 1, 4, 3, 1, 3]);
  assert.equal(ring!.area, 6);
});

test('a rectangle touching the image border traces along it', () => {
  const [ring] = traceContours(maskOf(['##', '##']));
  assert.deepEqual(ring!.points, [0, 0, 2, 0, 2, 2, 0, 2]);
});

test('an L shape has six corners', () => {
  const [ring] = traceContours(maskOf(['#..', '#..', '###']));
  assert.equal(ring!.points.length, 12);
  assert.equal(ring!.area, 5);
});

test('pixels touching only at a corner are separate rings (4-connected foreground)', () => {
  const rings = traceContours(maskOf(['#.', '.#']));
  assert.equal(rings.length, 2);
  assert.deepEqual(
    rings.map((r) => r.area),
    [1, 1],
  );
  const checker = traceContours(maskOf(['#.#', '.#.', '#.#']));
  assert.equal(checker.length, 5);
  assert.ok(checker.every((r) => r.area === 1 && r.points.length === 8));
});

test('a hole is a ring of negative area; outerContours leaves it out', () => {
  const donut = maskOf(['#####', '#...#', '#...#', '#####']);
  const rings = traceContours(donut);
  assert.deepEqual(
    rings.map((r) => r.area).sort((a, b) => a - b),
    [-6, 20],
  );
  assert.deepEqual(
    outerContours(donut).map((r) => r.area),
    [20],
  );
});

test('outer rings come largest first', () => {
  const rings = outerContours(maskOf(['#..##', '...##', '.....']));
  assert.deepEqual(
    rings.map((r) => r.area),
    [4, 1],
  );
});

test('random masks: even-odd filling every ring gives the mask back pixel for pixel; ring areas sum to its area', () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let t = 0; t < 40; t++) {
    const w = 5 + Math.floor(rand() * 30);
    const h = 5 + Math.floor(rand() * 30);
    const m = createMask(w, h);
    const density = 0.2 + rand() * 0.6;
    for (let i = 0; i < m.data.length; i++) m.data[i] = rand() < density ? 1 : 0;
    const rings = traceContours(m);
    const area = m.data.reduce((s, v) => s + v, 0);
    assert.equal(
      rings.reduce((s, r) => s + r.area, 0),
      area,
      `areas, case ${t}`,
    );
    assert.deepEqual(
      fillPolygons(
        rings.map((r) => r.points),
        w,
        h,
      ).data,
      m.data,
      `refill, case ${t}`,
    );
    // Outer rings alone cover the mask (holes filled in).
    const outer = fillPolygons(
      outerContours(m).map((r) => r.points),
      w,
      h,
      'union',
    ).data;
    for (let i = 0; i < m.data.length; i++)
      if (m.data[i]) assert.equal(outer[i], 1, `outer rings cover pixel ${i}, case ${t}`);
  }
});

test('fillPolygons samples pixel centres of fractional polygons', () => {
  // x + y < 4 holds at the centres of pixels with x + y < 3.
  const m = fillPolygons([[0, 0, 4, 0, 0, 4]], 4, 4);
  assert.deepEqual([...m.data], [1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
});

test('an empty mask has no rings', () => {
  assert.deepEqual(traceContours(createMask(4, 3)), []);
});
