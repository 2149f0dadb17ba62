/**
 * COCO run-length encoding of binary masks (uncompressed `counts: number[]` form).
 *
 * COCO walks pixels column by column (Fortran order) and always starts with a run of zeros, so a
 * mask whose first pixel is set begins with a 0 count. Matching that exactly is what lets our RLE
 * be handed to pycocotools-based tooling unchanged.
 */
import { assertMask, createMask, type BinaryMask } from './binary-mask';

export type { BinaryMask } from './binary-mask';

export interface Rle {
  /** [height, width], COCO's order. */
  size: [number, number];
  /** Alternating run lengths in column-major order, zeros first. */
  counts: number[];
}

export function encodeRle(mask: BinaryMask): Rle {
  assertMask(mask);
  const { width, height, data } = mask;
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < data.length; i += width) {
      const v = data[i] !== 0 ? 1 : 0;
      if (v !== value) {
        counts.push(run);
        run = 0;
        value = v;
      }
      run++;
    }
  }
  // pycocotools always emits the trailing run, so an empty image encodes as [0]; we do the same.
  counts.push(run);
  return { size: [height, width], counts };
}

export function decodeRle(rle: Rle): BinaryMask {
  assertRle(rle);
  const [height, width] = rle.size;
  const mask = createMask(width, height);
  const data = mask.data;
  let pos = 0; // column-major index
  for (let i = 0; i < rle.counts.length; i++) {
    const n = rle.counts[i] as number;
    if (i % 2 === 1 && n > 0) {
      // Walk the run in (x, y) rather than dividing per pixel.
      let x = Math.floor(pos / height);
      let y = pos - x * height;
      for (let k = 0; k < n; k++) {
        data[y * width + x] = 1;
        if (++y === height) {
          y = 0;
          x++;
        }
      }
    }
    pos += n;
  }
  return mask;
}

/**
 * Rejects malformed RLE before any consumer trusts `counts` to tile the image exactly; a short
 * or long RLE would otherwise decode silently into a shifted mask.
 */
export function assertRle(rle: Rle): void {
  const size = rle.size;
  if (!Array.isArray(size) || size.length !== 2) throw new RangeError('rle.size must be [height, width]');
  const [height, width] = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw new RangeError(`rle.size must be non-negative integers, got [${String(height)}, ${String(width)}]`);
  }
  let total = 0;
  for (const c of rle.counts) {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`rle.counts must be non-negative integers, got ${c}`);
    total += c;
  }
  if (total !== height * width) {
    throw new RangeError(`rle.counts sum to ${total}, expected ${height}x${width} = ${height * width}`);
  }
}
