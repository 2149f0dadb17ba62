/**
 * Turns low-resolution logits into video-resolution masks the way the reference does
 * (bilinear, align_corners=False, then > 0), but walks pixels in column-major order and emits COCO
 * RLE runs directly, so a full-resolution bitmap per object never exists. With `nonOverlap`, a pixel
 * belongs only to the object with the highest logit there (SAM 2's non-overlapping constraint).
 */
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

export class VideoResolutionRenderer {
  private readonly xs: AxisSampling;
  private readonly ys: AxisSampling;

  constructor(readonly lowRes: number, readonly width: number, readonly height: number) {
    this.xs = axisSampling(width, lowRes);
    this.ys = axisSampling(height, lowRes);
  }

  /** `logits[k]` is object k's L*L row-major low-res logits (starting at `offsets[k]`). */
  render(logits: readonly Float32Array[], offsets: readonly number[], nonOverlap: boolean): VideoMask[] {
    const L = this.lowRes;
    const { width, height } = this;
    const n = logits.length;
    const column = Array.from({ length: n }, () => new Float64Array(L));
    const values = new Float64Array(n);
    const state = Array.from({ length: n }, () => ({
      counts: [] as number[],
      current: 0,
      run: 0,
      area: 0,
      minX: width,
      minY: height,
      maxX: -1,
      maxY: -1,
    }));
    for (let x = 0; x < width; x++) {
      const x0 = this.xs.i0[x]!;
      const x1 = x0 + this.xs.step[x]!;
      const wx1 = this.xs.w1[x]!;
      const wx0 = 1 - wx1;
      for (let k = 0; k < n; k++) {
        const src = logits[k]!;
        const base = offsets[k]!;
        const col = column[k]!;
        for (let j = 0; j < L; j++) col[j] = wx0 * src[base + j * L + x0]! + wx1 * src[base + j * L + x1]!;
      }
      for (let y = 0; y < height; y++) {
        const y0 = this.ys.i0[y]!;
        const y1 = y0 + this.ys.step[y]!;
        const wy1 = this.ys.w1[y]!;
        const wy0 = 1 - wy1;
        let winner = -1;
        let best = -Infinity;
        for (let k = 0; k < n; k++) {
          const col = column[k]!;
          const v = wy0 * col[y0]! + wy1 * col[y1]!;
          values[k] = v;
          if (v > best) {
            best = v;
            winner = k;
          }
        }
        for (let k = 0; k < n; k++) {
          const on = values[k]! > 0 && (!nonOverlap || k === winner) ? 1 : 0;
          const s = state[k]!;
          if (on !== s.current) {
            s.counts.push(s.run);
            s.run = 0;
            s.current = on;
          }
          s.run++;
          if (on) {
            s.area++;
            if (x < s.minX) s.minX = x;
            if (x > s.maxX) s.maxX = x;
            if (y < s.minY) s.minY = y;
            if (y > s.maxY) s.maxY = y;
          }
        }
      }
    }
    return state.map((s) => {
      s.counts.push(s.run);
      return {
        counts: s.counts,
        area: s.area,
        bbox: s.area > 0 ? [s.minX, s.minY, s.maxX - s.minX + 1, s.maxY - s.minY + 1] : null,
      };
    });
  }
}
