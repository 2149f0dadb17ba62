/**
 * A sparse pixel set stored row by row (compressed-sparse-row layout).
 *
 * Boundary maps are ~0.5% of a frame, so after one pass over the mask every later step (counting,
 * tolerance matching) works on a few thousand points instead of re-scanning 400k pixels.
 */
import { assertMask, createMask, type BinaryMask } from './binary-mask';

export interface RowPoints {
  readonly width: number;
  readonly height: number;
  /** Row y's points are xs[rowStart[y]] .. xs[rowStart[y + 1] - 1]; length height + 1. */
  readonly rowStart: Int32Array;
  /** Column of every point, ascending within each row. */
  readonly xs: Int32Array;
}

/** Accumulates points in row-major order (rows ascending, x ascending within a row). */
export class RowPointsBuilder {
  private xs = new Int32Array(1024);
  private n = 0;
  private readonly rowStart: Int32Array;
  private row = 0;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rowStart = new Int32Array(height + 1);
  }

  /** Must be called for rows in ascending order; skipped rows are empty. */
  startRow(y: number): void {
    while (this.row < y) this.rowStart[++this.row] = this.n;
  }

  add(x: number): void {
    if (this.n === this.xs.length) {
      const grown = new Int32Array(this.xs.length * 2);
      grown.set(this.xs);
      this.xs = grown;
    }
    this.xs[this.n++] = x;
  }

  finish(): RowPoints {
    this.startRow(this.height);
    return { width: this.width, height: this.height, rowStart: this.rowStart, xs: this.xs.slice(0, this.n) };
  }
}

export function rowPointsFromMask(mask: BinaryMask): RowPoints {
  assertMask(mask);
  const { width, height, data } = mask;
  const out = new RowPointsBuilder(width, height);
  for (let y = 0; y < height; y++) {
    out.startRow(y);
    const row = y * width;
    for (let x = 0; x < width; x++) if (data[row + x] !== 0) out.add(x);
  }
  return out.finish();
}

export function rowPointsToMask(points: RowPoints): BinaryMask {
  const mask = createMask(points.width, points.height);
  for (let y = 0; y < points.height; y++) {
    for (let k = points.rowStart[y] as number; k < (points.rowStart[y + 1] as number); k++) {
      mask.data[y * points.width + (points.xs[k] as number)] = 1;
    }
  }
  return mask;
}
