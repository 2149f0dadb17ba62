/**
 * torch's F.interpolate(mode='bilinear', antialias=True, align_corners=False) on float32 input,
 * reproduced operation by operation: the reference resizes a prompt mask with it (video -> input
 * square, then >= 0.5), so a pixel near the threshold must land on the same side.
 *
 * Per axis (ATen _compute_weights_aa): scale = in / out (float32); support = scale when downscaling
 * (the triangle is stretched), else 1; output i is centred at scale * (i + 0.5) and reads inputs
 * [trunc(center - support + 0.5), trunc(center + support + 0.5)) clipped to the image, each weighted
 * by triangle((j - center + 0.5) / max(scale, 1)), the weights divided by their sum. Weights and the
 * running sums are float32, as ATen computes them for float input. The width is resampled first,
 * then the height; an axis whose size does not change is skipped.
 */
const f = Math.fround;

export interface AxisWeights {
  /** First input index of each output. */
  start: Int32Array;
  /** Number of taps of each output. */
  size: Int32Array;
  /** Taps of output i at [i * stride, i * stride + size[i]). */
  weights: Float32Array;
  stride: number;
}

export function antialiasWeights(inSize: number, outSize: number): AxisWeights {
  const scale = f(inSize / outSize);
  const support = scale >= 1 ? scale : 1;
  const invscale = scale >= 1 ? f(1 / scale) : 1;
  const stride = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const size = new Int32Array(outSize);
  const weights = new Float32Array(outSize * stride);
  for (let i = 0; i < outSize; i++) {
    const center = f(scale * (i + 0.5));
    const xmin = Math.max(Math.trunc(f(center - support) + 0.5), 0);
    const xmax = Math.min(Math.trunc(f(center + support) + 0.5), inSize);
    let total = 0;
    for (let j = 0; j < xmax - xmin; j++) {
      const x = Math.abs(f((f(j + xmin - center) + 0.5) * invscale));
      const w = x < 1 ? f(1 - x) : 0;
      weights[i * stride + j] = w;
      total = f(total + w);
    }
    if (total !== 0)
      for (let j = 0; j < xmax - xmin; j++) weights[i * stride + j] = f(weights[i * stride + j]! / total);
    start[i] = xmin;
    size[i] = xmax - xmin;
  }
  return { start, size, weights, stride };
}

/** One axis: `count` lines of `inSize` values, `step` apart within a line and `lineStep` between lines. */
function resampleAxis(
  src: Float32Array,
  dst: Float32Array,
  axis: AxisWeights,
  lines: number,
  step: number,
  lineStep: number,
  outStep: number,
  outLineStep: number,
): void {
  const { start, size, weights, stride } = axis;
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    const outBase = line * outLineStep;
    for (let i = 0; i < start.length; i++) {
      const w0 = i * stride;
      let at = base + start[i]! * step;
      let acc = f(src[at]! * weights[w0]!);
      for (let j = 1; j < size[i]!; j++) {
        at += step;
        acc = f(acc + f(src[at]! * weights[w0 + j]!));
      }
      dst[outBase + i * outStep] = acc;
    }
  }
}

/** `src` is [height, width] row-major; returns [outHeight, outWidth]. */
export function resizeAntialiasedBilinear(
  src: Float32Array,
  height: number,
  width: number,
  outHeight: number,
  outWidth: number,
): Float32Array {
  if (src.length !== height * width)
    throw new Error(`expected ${height * width} values for ${height}x${width}, got ${src.length}`);
  let cur = src;
  let w = width;
  if (outWidth !== width) {
    const next = new Float32Array(height * outWidth);
    resampleAxis(cur, next, antialiasWeights(width, outWidth), height, 1, width, 1, outWidth);
    cur = next;
    w = outWidth;
  }
  if (outHeight !== height) {
    const next = new Float32Array(outHeight * w);
    resampleAxis(cur, next, antialiasWeights(height, outHeight), w, w, 1, w, 1);
    cur = next;
  }
  return cur === src ? src.slice() : cur;
}
