/**
 * Pillow's Image.resize((s, s)) with its default BICUBIC filter on 8-bit RGB, reproduced exactly:
 * SAM 2's reference loads JPEG folders with it (load_video_frames_from_jpg_images), so frames must
 * match it byte for byte.
 *
 * Pillow (Resample.c) resamples separably, horizontal pass first, each pass rounding to uint8:
 * - per axis, scale = in / out; the cubic kernel (a = -0.5, support 2) is stretched by max(scale, 1);
 *   output i is centred at (i + 0.5) * scale and reads inputs [trunc(center - support + 0.5),
 *   trunc(center + support + 0.5)) clipped to the image; weights are kernel((j - center + 0.5) / filterscale),
 *   normalised by their sum (all in double);
 * - weights become fixed point: trunc(w * 2^22 +- 0.5) (rounded half away from zero);
 * - a pixel is (2^21 + sum(value * weight)) >> 22, clamped to 0..255;
 * - the horizontal pass covers only the rows the vertical pass reads; an axis whose size does not
 *   change is not resampled.
 */
const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

export function bicubicKernel(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

export interface PilAxis {
  /** First input index of each output. */
  start: Int32Array;
  size: Int32Array;
  /** Fixed-point taps of output i at [i * stride, i * stride + size[i]). */
  weights: Int32Array;
  stride: number;
}

export function pilBicubicAxis(inSize: number, outSize: number): PilAxis {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = 2 * filterscale;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const size = new Int32Array(outSize);
  const weights = new Int32Array(outSize * stride);
  const taps = new Float64Array(stride);
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubicKernel((x + xmin - center + 0.5) * ss);
      taps[x] = w;
      total += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? taps[x]! / total : taps[x]!;
      weights[i * stride + x] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
    }
    start[i] = xmin;
    size[i] = xmax;
  }
  return { start, size, weights, stride };
}

function clip8(v: number): number {
  if (v >= ONE * 256) return 255;
  if (v <= 0) return 0;
  return Math.floor(v / ONE);
}

/** Resamples rows [firstRow, firstRow + rows) of an RGB image horizontally. */
function horizontal(src: Uint8Array, width: number, firstRow: number, rows: number, axis: PilAxis): Uint8Array {
  const outW = axis.start.length;
  const out = new Uint8Array(outW * rows * 3);
  for (let y = 0; y < rows; y++) {
    const rowBase = (y + firstRow) * width * 3;
    for (let x = 0; x < outW; x++) {
      const k = x * axis.stride;
      const n = axis.size[x]!;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      let at = rowBase + axis.start[x]! * 3;
      for (let j = 0; j < n; j++, at += 3) {
        const w = axis.weights[k + j]!;
        r += src[at]! * w;
        g += src[at + 1]! * w;
        b += src[at + 2]! * w;
      }
      const o = (y * outW + x) * 3;
      out[o] = clip8(r);
      out[o + 1] = clip8(g);
      out[o + 2] = clip8(b);
    }
  }
  return out;
}

function vertical(src: Uint8Array, width: number, axis: PilAxis, rowOffset: number): Uint8Array {
  const outH = axis.start.length;
  const out = new Uint8Array(width * outH * 3);
  const line = width * 3;
  for (let y = 0; y < outH; y++) {
    const k = y * axis.stride;
    const n = axis.size[y]!;
    const first = (axis.start[y]! - rowOffset) * line;
    for (let c = 0; c < line; c++) {
      let acc = HALF;
      let at = first + c;
      for (let j = 0; j < n; j++, at += line) acc += src[at]! * axis.weights[k + j]!;
      out[y * line + c] = clip8(acc);
    }
  }
  return out;
}

/** RGB24 `width` x `height` -> `outWidth` x `outHeight`, as PIL's resize with BICUBIC. */
export function pilBicubicResize(
  rgb: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (rgb.length !== width * height * 3)
    throw new Error(`expected ${width * height * 3} RGB bytes for ${width}x${height}, got ${rgb.length}`);
  if (width === outWidth && height === outHeight) return rgb.slice();
  const horiz = pilBicubicAxis(width, outWidth);
  const vert = pilBicubicAxis(height, outHeight);
  if (height === outHeight) return horizontal(rgb, width, 0, height, horiz);
  if (width === outWidth) return vertical(rgb, width, vert, 0);
  // Only the rows the vertical pass reads go through the horizontal pass.
  const firstRow = vert.start[0]!;
  const lastRow = vert.start[outHeight - 1]! + vert.size[outHeight - 1]!;
  const temp = horizontal(rgb, width, firstRow, lastRow - firstRow, horiz);
  return vertical(temp, outWidth, vert, firstRow);
}
