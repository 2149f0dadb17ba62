import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoleFiller } from './fill-holes';
import { chooseMask, stabilityScore } from './mask-selection';
import { VideoResolutionRenderer } from './video-resolution';

test('holes of <= maxArea background pixels are filled with 0.1, larger ones and the border stay', () => {
  const size = 10;
  const logits = new Float32Array(size * size).fill(-5);
  // A foreground square 2..8 with a 2x2 hole (4 px) and a 3x3 hole (9 px).
  for (let y = 1; y < 9; y++) for (let x = 1; x < 9; x++) logits[y * size + x] = 5;
  for (const [x, y] of [
    [2, 2],
    [3, 2],
    [2, 3],
    [3, 3],
  ])
    logits[y! * size + x!] = -1;
  for (let y = 5; y < 8; y++) for (let x = 5; x < 8; x++) logits[y * size + x] = -1;
  new HoleFiller().fill(logits, 0, size, 8);
  assert.equal(logits[2 * size + 2], Math.fround(0.1), '4-pixel hole is filled');
  assert.equal(logits[6 * size + 6], -1, '9-pixel hole is larger than 8 and stays');
  assert.equal(logits[0], -5, 'outer background stays');
});

test('8-connectivity: diagonal background pixels form one component', () => {
  const size = 6;
  const logits = new Float32Array(size * size).fill(3);
  // 9 background pixels connected only diagonally: too large together.
  const diag = [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [1, 2],
    [2, 3],
    [3, 4],
    [2, 1],
    [4, 3],
  ];
  for (const [x, y] of diag) logits[y! * size + x!] = -1;
  new HoleFiller().fill(logits, 0, size, 8);
  for (const [x, y] of diag) assert.equal(logits[y! * size + x!], -1);
});

test('multimask picks the best IoU among tokens 1..3 and its pointer token', () => {
  const area = 4;
  const masks = new Float32Array(4 * area);
  const iou = Float32Array.from([0.99, 0.2, 0.7, 0.5]);
  const cfg = {
    multimask: true,
    useMultimaskTokenForObjPtr: true,
    dynamicMultimaskViaStability: true,
    stabilityDelta: 0.05,
    stabilityThresh: 0.98,
  };
  assert.deepEqual(chooseMask(masks, iou, 0, area, cfg), { maskToken: 2, ptrToken: 2, iou: iou[2] });
  assert.equal(chooseMask(masks, iou, 0, area, { ...cfg, useMultimaskTokenForObjPtr: false }).ptrToken, 0);
});

test('single mask falls back to the best multimask token when token 0 is unstable', () => {
  const area = 4;
  const stable = Float32Array.from([5, 5, -5, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const unstable = Float32Array.from([5, 0.01, -5, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const iou = Float32Array.from([0.5, 0.1, 0.3, 0.9]);
  const cfg = {
    multimask: false,
    useMultimaskTokenForObjPtr: true,
    dynamicMultimaskViaStability: true,
    stabilityDelta: 0.05,
    stabilityThresh: 0.98,
  };
  assert.equal(stabilityScore(unstable, 0, area, 0.05), 0.5);
  assert.deepEqual(chooseMask(stable, iou, 0, area, cfg), { maskToken: 0, ptrToken: 0, iou: 0.5 });
  assert.deepEqual(chooseMask(unstable, iou, 0, area, cfg), { maskToken: 3, ptrToken: 0, iou: iou[3] });
});

function naiveBilinear(src: Float32Array, L: number, w: number, h: number): Uint8Array {
  // PyTorch upsample_bilinear2d, align_corners=False, then > 0. Row-major output.
  const out = new Uint8Array(w * h);
  const sx = L / w;
  const sy = L / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.max(sy * (y + 0.5) - 0.5, 0);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, L - 1);
    const ly = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.max(sx * (x + 0.5) - 0.5, 0);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, L - 1);
      const lx = fx - x0;
      const v =
        (1 - ly) * ((1 - lx) * src[y0 * L + x0]! + lx * src[y0 * L + x1]!) +
        ly * ((1 - lx) * src[y1 * L + x0]! + lx * src[y1 * L + x1]!);
      out[y * w + x] = v > 0 ? 1 : 0;
    }
  }
  return out;
}

function decodeColumnMajor(counts: number[], w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  let p = 0;
  counts.forEach((run, i) => {
    for (let k = 0; k < run; k++, p++) if (i % 2 === 1) out[(p % h) * w + Math.floor(p / h)] = 1;
  });
  assert.equal(p, w * h);
  return out;
}

test('video-resolution RLE equals naive bilinear upsampling + threshold, with area and bbox', () => {
  const L = 16;
  const src = new Float32Array(L * L).map((_, i) => Math.sin(i * 0.37) * 3 + Math.cos(i * 0.11));
  const w = 37;
  const h = 23;
  const [mask] = new VideoResolutionRenderer(L, w, h).render([src], [0], false);
  const expected = naiveBilinear(src, L, w, h);
  const got = decodeColumnMajor(mask!.counts, w, h);
  let mismatches = 0;
  for (let i = 0; i < expected.length; i++) if (expected[i] !== got[i]) mismatches++;
  assert.equal(mismatches, 0);
  assert.equal(
    mask!.area,
    expected.reduce((a, b) => a + b, 0),
  );
});

test('non-overlap keeps each pixel for the highest-logit object only', () => {
  const L = 4;
  const a = new Float32Array(L * L).fill(2);
  const b = new Float32Array(L * L).fill(1);
  b[0] = 5;
  const r = new VideoResolutionRenderer(L, 8, 8);
  const [ma, mb] = r.render([a, b], [0, 0], true);
  assert.equal(ma!.area + mb!.area, 64);
  const [oa, ob] = r.render([a, b], [0, 0], false);
  assert.equal(oa!.area, 64);
  assert.equal(ob!.area, 64);
});

test('partial regions of several objects match the naive reference, with and without non-overlap', () => {
  const L = 24;
  const w = 61;
  const h = 35;
  const objects = [0, 1, 2].map((k) => {
    const src = new Float32Array(L * L).fill(-3);
    // Each object positive only inside its own (overlapping) blob.
    const cx = 6 + k * 6;
    const cy = 8 + k * 4;
    for (let j = 0; j < L; j++)
      for (let i = 0; i < L; i++) src[j * L + i] = 4 - Math.hypot(i - cx, j - cy) + Math.sin(i * j + k) * 0.3;
    return src;
  });
  const renderer = new VideoResolutionRenderer(L, w, h);
  for (const nonOverlap of [false, true]) {
    const masks = renderer.render(objects, [0, 0, 0], nonOverlap);
    const naive = objects.map((src) => {
      const out = new Float64Array(w * h);
      const sx = L / w;
      const sy = L / h;
      for (let y = 0; y < h; y++) {
        const fy = Math.max(Math.fround(sy * (y + 0.5) - 0.5), 0);
        const y0 = Math.floor(fy);
        const y1 = Math.min(y0 + 1, L - 1);
        const ly = fy - y0;
        for (let x = 0; x < w; x++) {
          const fx = Math.max(Math.fround(sx * (x + 0.5) - 0.5), 0);
          const x0 = Math.floor(fx);
          const x1 = Math.min(x0 + 1, L - 1);
          const lx = fx - x0;
          out[y * w + x] =
            (1 - ly) * ((1 - lx) * src[y0 * L + x0]! + lx * src[y0 * L + x1]!) +
            ly * ((1 - lx) * src[y1 * L + x0]! + lx * src[y1 * L + x1]!);
        }
      }
      return out;
    });
    masks.forEach((mask, k) => {
      const got = decodeColumnMajor(mask.counts, w, h);
      for (let i = 0; i < w * h; i++) {
        let winner = 0;
        for (let j = 1; j < 3; j++) if (naive[j]![i]! > naive[winner]![i]!) winner = j;
        const expected = naive[k]![i]! > 0 && (!nonOverlap || winner === k) ? 1 : 0;
        assert.equal(got[i], expected, `object ${k} pixel ${i} nonOverlap=${nonOverlap}`);
      }
    });
  }
});

test('the bounding-box search fills exactly what a whole-grid search fills', () => {
  const size = 32;
  for (let seed = 1; seed <= 20; seed++) {
    const logits = new Float32Array(size * size).fill(-2);
    // A blob with random pinholes, placed away from and touching the border in turn.
    const cx = seed % 2 ? 16 : 5;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) if (Math.hypot(x - cx, y - 12) < 9) logits[y * size + x] = 1;
    for (let k = 0; k < 12; k++) logits[((seed * 131 + k * 977) % 200) + 8 * size] = -1;
    const expected = logits.slice();
    wholeGridFill(expected, size, 8);
    new HoleFiller().fill(logits, 0, size, 8);
    assert.deepEqual(logits, expected);
  }
});

/** Straightforward reference: label every 8-connected background component over the whole grid. */
function wholeGridFill(logits: Float32Array, size: number, maxArea: number): void {
  const label = new Int32Array(size * size).fill(-1);
  for (let s = 0; s < size * size; s++) {
    if (label[s]! >= 0 || logits[s]! > 0) continue;
    const members = [s];
    label[s] = s;
    for (let i = 0; i < members.length; i++) {
      const p = members[i]!;
      const y = Math.floor(p / size);
      const x = p % size;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= size || yy >= size) continue;
          const q = yy * size + xx;
          if (label[q]! < 0 && logits[q]! <= 0) {
            label[q] = s;
            members.push(q);
          }
        }
    }
    if (members.length <= maxArea) for (const p of members) logits[p] = 0.1;
  }
}
