/**
 * SAM 2 preprocessing after the square resize: RGB/255, then (x - mean) / std, laid out CHW.
 * Each output value is computed in float32 steps, like torchvision's Normalize on a float tensor.
 */
export function normalizeSquareRgb(
  rgb: Uint8Array,
  size: number,
  mean: readonly number[],
  std: readonly number[],
  out?: Float32Array,
): Float32Array {
  const plane = size * size;
  if (rgb.length !== plane * 3)
    throw new Error(`expected ${plane * 3} RGB bytes for a ${size}x${size} frame, got ${rgb.length}`);
  const dst = out ?? new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    // Per-byte lookup table: 256 values instead of a divide per pixel.
    const lut = new Float32Array(256);
    const m = Math.fround(mean[c]!);
    const s = Math.fround(std[c]!);
    for (let v = 0; v < 256; v++) lut[v] = Math.fround(Math.fround(Math.fround(v / 255) - m) / s);
    const base = c * plane;
    for (let i = 0, j = c; i < plane; i++, j += 3) dst[base + i] = lut[rgb[j]!]!;
  }
  return dst;
}
