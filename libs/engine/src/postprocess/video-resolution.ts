/**
 * Turns low-resolution logits into video-resolution masks the way the reference does
 * (bilinear, align_corners=False, then > 0), but walks pixels in column-major order and emits COCO
 * RLE runs directly, so a full-resolution bitmap per object never exists. A bilinear value can only
 * be positive where one of its four low-res samples is, so each object is evaluated only over the
 * video pixels that sample its positive cells: cost follows object size, not frame size x objects.
 * With `nonOverlap`, a pixel belongs only to the object with the highest logit there.
 */
import { positiveBounds } from './positive-bounds';

export interface VideoMask {
  /** COCO RLE counts, column-major, starting with a run of zeros. */
  counts: number[];
  area: number;
  /** [x, y, width, height] in pixels, or null when empty. */
  bbox: [number, number, number, number] | null;
}

interface AxisSampling {
  i0: Int32Array;
  step: Uint8Array;
  w1: Float64Array;
}

/** PyTorch's area_pixel_compute_source_index for align_corners=False, clamped at 0. */
function axisSampling(outSize: number, inSize: number): AxisSampling {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize);
  const step = new Uint8Array(outSize);
  const w1 = new Float64Array(outSize);
  for (let d = 0; d < outSize; d++) {
    const src = Math.max(Math.fround(scale * (d + 0.5) - 0.5), 0);
    const lo = Math.floor(src);
    i0[d] = lo;
    step[d] = lo < inSize - 1 ? 1 : 0;
    w1[d] = src - lo;
  }
  return { i0, step, w1 };
}

/** Output pixels [first, last] whose two samples touch low-res cells [lo, hi]; null if none. */
function outputSpan(axis: AxisSampling, lo: number, hi: number): [number, number] | null {
  let first = -1;
  let last = -1;
  for (let d = 0; d < axis.i0.length; d++) {
    const a = axis.i0[d]!;
    const b = a + axis.step[d]!;
    if (b >= lo && a <= hi) {
      if (first < 0) first = d;
      last = d;
    }
  }
  return first < 0 ? null : [first, last];
}

/** Accumulates one object's column-major runs as "on" pixels arrive in increasing order. */
class RunWriter {
  readonly counts: number[] = [];
  private end = 0;
  private open = false;
  area = 0;
  minX = Infinity;
  minY = Infinity;
  maxX = -1;
  maxY = -1;

  on(index: number, x: number, y: number): void {
    // A pixel right after an open run extends it; anything else starts a new run after a zero gap.
    if (this.open && index === this.end) this.counts[this.counts.length - 1]!++;
    else this.counts.push(index - this.end, 1);
    this.open = true;
    this.end = index + 1;
    this.area++;
    if (x < this.minX) this.minX = x;
    if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }

  /** Any gap closes the current run of ones. */
  gap(): void {
    this.open = false;
  }

  finish(total: number): VideoMask {
    if (this.counts.length === 0) return { counts: [total], area: 0, bbox: null };
    if (this.end < total) this.counts.push(total - this.end);
    return {
      counts: this.counts,
      area: this.area,
      bbox: [this.minX, this.minY, this.maxX - this.minX + 1, this.maxY - this.minY + 1],
    };
  }
}

interface Region {
  x: [number, number];
  y: [number, number];
  /** Low-res rows whose horizontal interpolation the region needs. */
  rows: [number, number];
}

export class VideoResolutionRenderer {
  private readonly xs: AxisSampling;
  private readonly ys: AxisSampling;

  constructor(
    readonly lowRes: number,
    readonly width: number,
    readonly height: number,
  ) {
    this.xs = axisSampling(width, lowRes);
    this.ys = axisSampling(height, lowRes);
  }

  private region(src: Float32Array, base: number): Region | null {
    const bounds = positiveBounds(src, base, this.lowRes);
    if (!bounds) return null;
    const { x0, x1, y0, y1 } = bounds;
    const x = outputSpan(this.xs, x0, x1);
    const y = outputSpan(this.ys, y0, y1);
    if (!x || !y) return null;
    return { x, y, rows: [this.ys.i0[y[0]]!, this.ys.i0[y[1]]! + this.ys.step[y[1]]!] };
  }

  /** `logits[k]` is object k's L*L row-major low-res logits (starting at `offsets[k]`). */
  render(logits: readonly Float32Array[], offsets: readonly number[], nonOverlap: boolean): VideoMask[] {
    const L = this.lowRes;
    const { width, height } = this;
    const n = logits.length;
    const regions = logits.map((src, k) => this.region(src, offsets[k]!));
    const writers = regions.map(() => new RunWriter());
    const column = regions.map(() => new Float64Array(L));
    const values = new Float64Array(n);
    const active: number[] = [];
    let xStart = width;
    let xEnd = -1;
    for (const r of regions) {
      if (!r) continue;
      xStart = Math.min(xStart, r.x[0]);
      xEnd = Math.max(xEnd, r.x[1]);
    }
    for (let x = xStart; x <= xEnd; x++) {
      const x0 = this.xs.i0[x]!;
      const x1 = x0 + this.xs.step[x]!;
      const wx1 = this.xs.w1[x]!;
      const wx0 = 1 - wx1;
      active.length = 0;
      let yStart = height;
      let yEnd = -1;
      for (let k = 0; k < n; k++) {
        const r = regions[k];
        if (!r || x < r.x[0] || x > r.x[1]) continue;
        active.push(k);
        const src = logits[k]!;
        const base = offsets[k]!;
        const col = column[k]!;
        for (let j = r.rows[0]; j <= r.rows[1]; j++)
          col[j] = wx0 * src[base + j * L + x0]! + wx1 * src[base + j * L + x1]!;
        yStart = Math.min(yStart, r.y[0]);
        yEnd = Math.max(yEnd, r.y[1]);
      }
      for (const k of active) writers[k]!.gap();
      const colBase = x * height;
      for (let y = yStart; y <= yEnd; y++) {
        const y0 = this.ys.i0[y]!;
        const y1 = y0 + this.ys.step[y]!;
        const wy1 = this.ys.w1[y]!;
        const wy0 = 1 - wy1;
        let winner = -1;
        let best = 0;
        for (const k of active) {
          const r = regions[k]!;
          if (y < r.y[0] || y > r.y[1]) {
            values[k] = -Infinity;
            continue;
          }
          const col = column[k]!;
          const v = wy0 * col[y0]! + wy1 * col[y1]!;
          values[k] = v;
          if (v > best) {
            best = v;
            winner = k;
          }
        }
        if (winner < 0) {
          for (const k of active) writers[k]!.gap();
          continue;
        }
        for (const k of active) {
          if (values[k]! > 0 && (!nonOverlap || k === winner)) writers[k]!.on(colBase + y, x, y);
          else writers[k]!.gap();
        }
      }
    }
    return writers.map((w) => w.finish(width * height));
  }
}
