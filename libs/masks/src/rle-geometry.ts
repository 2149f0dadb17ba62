/**
 * Area, bounding box and IoU computed on the runs themselves.
 *
 * Tracking and evaluation query these per object per frame; walking a few hundred runs is far
 * cheaper than decoding 400k pixels, and it lets stored RLE be scored without touching masks.
 */
import { assertRle, type Rle } from './rle';

/** COCO box: [x, y, width, height] in pixels; [0, 0, 0, 0] for an empty mask. */
export type BoundingBox = [x: number, y: number, width: number, height: number];

export function rleArea(rle: Rle): number {
  let area = 0;
  for (let i = 1; i < rle.counts.length; i += 2) area += rle.counts[i] as number;
  return area;
}

export function rleBoundingBox(rle: Rle): BoundingBox {
  assertRle(rle);
  const height = rle.size[0];
  let xMin = Infinity;
  let xMax = -1;
  let yMin = Infinity;
  let yMax = -1;
  let pos = 0;
  for (let i = 0; i < rle.counts.length; i++) {
    const n = rle.counts[i] as number;
    if (i % 2 === 1 && n > 0) {
      const first = pos;
      const last = pos + n - 1;
      const x0 = Math.floor(first / height);
      const x1 = Math.floor(last / height);
      xMin = Math.min(xMin, x0);
      xMax = Math.max(xMax, x1);
      if (x0 !== x1) {
        // A run that wraps into the next column covers the bottom row of one column and the top
        // row of the next, so the box spans the full height exactly.
        yMin = 0;
        yMax = height - 1;
      } else {
        yMin = Math.min(yMin, first - x0 * height);
        yMax = Math.max(yMax, last - x1 * height);
      }
    }
    pos += n;
  }
  if (xMax < 0) return [0, 0, 0, 0];
  return [xMin, yMin, xMax - xMin + 1, yMax - yMin + 1];
}

/**
 * Intersection over union by walking both run lists in step. Two empty masks score 1, the DAVIS
 * convention used by `jaccard`, so `rleIou(encodeRle(a), encodeRle(b)) === jaccard(a, b)`.
 */
export function rleIou(a: Rle, b: Rle): number {
  assertRle(a);
  assertRle(b);
  if (a.size[0] !== b.size[0] || a.size[1] !== b.size[1]) {
    throw new RangeError(`rle sizes differ: [${a.size.join(', ')}] vs [${b.size.join(', ')}]`);
  }
  const ca = a.counts;
  const cb = b.counts;
  let ia = 0;
  let ib = 0;
  let ra = ca[0] ?? 0;
  let rb = cb[0] ?? 0;
  let intersection = 0;
  // Zero-length runs (leading 0, or non-canonical RLE from elsewhere) are consumed by step-0 turns.
  while (ia < ca.length && ib < cb.length) {
    const step = Math.min(ra, rb);
    if (ia & ib & 1) intersection += step;
    ra -= step;
    rb -= step;
    if (ra === 0 && ++ia < ca.length) ra = ca[ia] as number;
    if (rb === 0 && ++ib < cb.length) rb = cb[ib] as number;
  }
  const union = rleArea(a) + rleArea(b) - intersection;
  return union === 0 ? 1 : intersection / union;
}
