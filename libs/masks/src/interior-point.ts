/**
 * The mask pixel farthest from the mask's border (exact Euclidean distance transform, Felzenszwalb
 * & Huttenlocher's two-pass lower envelope). This is the standard "one click" protocol for
 * interactive segmentation benchmarks: a simulated annotator clicks the most interior point.
 */
import type { BinaryMask } from './binary-mask';

const INF = 1e20;

function transform1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    let s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    while (s <= z[k]!) {
      k--;
      s = (f[q]! + q * q - (f[v[k]!]! + v[k]! * v[k]!)) / (2 * q - 2 * v[k]!);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    d[q] = (q - v[k]!) * (q - v[k]!) + f[v[k]!]!;
  }
}

/** Squared distance of every pixel to the nearest background pixel (outside the image counts as background). */
export function squaredDistanceToBackground(mask: BinaryMask): Float64Array {
  const { width, height, data } = mask;
  // Pad by one so the image border acts as background.
  const w = width + 2;
  const h = height + 2;
  const grid = new Float64Array(w * h);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) grid[(y + 1) * w + x + 1] = data[y * width + x] ? INF : 0;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = grid[y * w + x]!;
    transform1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) grid[y * w + x] = d[y]!;
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = grid[y * w + x]!;
    transform1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) grid[y * w + x] = d[x]!;
  }
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = grid[(y + 1) * w + x + 1]!;
  return out;
}

/** The interior point (first in row-major order among ties), or null for an empty mask. */
export function farthestInteriorPoint(mask: BinaryMask): { x: number; y: number; distance: number } | null {
  const dist = squaredDistanceToBackground(mask);
  let best = -1;
  let at = -1;
  for (let i = 0; i < dist.length; i++) {
    if (mask.data[i] && dist[i]! > best) {
      best = dist[i]!;
      at = i;
    }
  }
  if (at < 0) return null;
  return { x: at % mask.width, y: Math.floor(at / mask.width), distance: Math.sqrt(best) };
}
