/**
 * Morphology with the digital disk skimage's `disk(r)` builds: offsets (dx, dy) with
 * dx^2 + dy^2 <= r^2.
 *
 * Tolerance matching only asks, for each boundary pixel, whether the other boundary has a pixel
 * within the disk. Each disk row is an interval, so with the other boundary stored sparsely by
 * row (RowPoints) a query is at most 2r+1 binary searches and stops at the first hit; no
 * dilated image is ever built.
 */
import { assertMask, createMask, type BinaryMask } from './binary-mask';
import { rowPointsFromMask, type RowPoints } from './row-points';

/** Half-width of each disk row, for dy = -r..r (index dy + r). */
export function diskRowHalfWidths(radius: number): Int32Array {
  if (!Number.isInteger(radius) || radius < 0) {
    throw new RangeError(`disk radius must be a non-negative integer, got ${radius}`);
  }
  const out = new Int32Array(2 * radius + 1);
  const r2 = radius * radius;
  for (let dy = -radius; dy <= radius; dy++) {
    let hw = Math.floor(Math.sqrt(r2 - dy * dy));
    // Integer fix-up so a rounding error in sqrt can never change the disk's shape.
    while ((hw + 1) * (hw + 1) + dy * dy <= r2) hw++;
    while (hw > 0 && hw * hw + dy * dy > r2) hw--;
    out[dy + radius] = hw;
  }
  return out;
}

/** |points ∩ dilate(targets, disk(radius))|: how many points have a target within the disk. */
export function countWithinDisk(points: RowPoints, targets: RowPoints, radius: number): number {
  if (points.width !== targets.width || points.height !== targets.height) {
    throw new RangeError('countWithinDisk: point sets of different sizes');
  }
  const halfWidths = diskRowHalfWidths(radius);
  const { rowStart, xs } = targets;
  let count = 0;
  for (let y = 0; y < points.height; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(points.height - 1, y + radius);
    for (let k = points.rowStart[y] as number; k < (points.rowStart[y + 1] as number); k++) {
      const x = points.xs[k] as number;
      for (let yy = y0; yy <= y1; yy++) {
        const hw = halfWidths[yy - y + radius] as number;
        // First target in row yy at or right of x - hw; a hit if it is also <= x + hw.
        let lo = rowStart[yy] as number;
        let hi = rowStart[yy + 1] as number;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((xs[mid] as number) < x - hw) lo = mid + 1;
          else hi = mid;
        }
        if (lo < (rowStart[yy + 1] as number) && (xs[lo] as number) <= x + hw) {
          count++;
          break;
        }
      }
    }
  }
  return count;
}

/**
 * Binary dilation by disk(radius); pixels beyond the border count as unset (as in cv2/skimage).
 * Not used by the metrics; there for visualising the tolerance band and for tests.
 */
export function dilateDisk(mask: BinaryMask, radius: number): BinaryMask {
  assertMask(mask);
  const halfWidths = diskRowHalfWidths(radius);
  const points = rowPointsFromMask(mask);
  const { width, height } = mask;
  const out = createMask(width, height);
  // Per output row, each source point contributes one interval; a difference array turns the
  // interval union into a single prefix-sum pass.
  const diff = new Int32Array(width + 1);
  for (let y = 0; y < height; y++) {
    diff.fill(0);
    let any = false;
    for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
      const hw = halfWidths[yy - y + radius] as number;
      for (let k = points.rowStart[yy] as number; k < (points.rowStart[yy + 1] as number); k++) {
        const x = points.xs[k] as number;
        const start = Math.max(0, x - hw);
        const end = Math.min(width, x + hw + 1);
        diff[start] = (diff[start] as number) + 1;
        diff[end] = (diff[end] as number) - 1;
        any = true;
      }
    }
    if (!any) continue;
    let depth = 0;
    for (let x = 0; x < width; x++) {
      depth += diff[x] as number;
      if (depth > 0) out.data[y * width + x] = 1;
    }
  }
  return out;
}
