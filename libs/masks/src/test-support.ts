/**
 * Test-only helpers: a seeded PRNG (failures must reproduce) and deliberately naive reference
 * implementations that the optimised code is checked against. Not exported from index.ts.
 */
import { createMask, type BinaryMask } from './binary-mask';

/** mulberry32: tiny, seedable, good enough to generate test masks. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Noise with a given density, or blobby masks (few long runs) when `blobs` is set. */
export function randomMask(
  rand: () => number,
  width: number,
  height: number,
  density = 0.5,
  blobs = false,
): BinaryMask {
  const mask = createMask(width, height);
  if (!blobs) {
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = rand() < density ? 1 : 0;
    return mask;
  }
  const n = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < n; k++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const r = 1 + rand() * Math.max(width, height) * 0.3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) mask.data[y * width + x] = 1;
      }
    }
  }
  return mask;
}

export function maskFromRows(rows: string[]): BinaryMask {
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const mask = createMask(width, height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) mask.data[y * width + x] = row[x] === '1' ? 1 : 0;
  });
  return mask;
}

export function rect(width: number, height: number, x0: number, y0: number, w: number, h: number): BinaryMask {
  const mask = createMask(width, height);
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) mask.data[y * width + x] = 1;
  return mask;
}

/** DAVIS seg2bmap written the numpy way: zero-padded shifted copies, then edge overrides. */
export function naiveBoundary(mask: BinaryMask): BinaryMask {
  const { width: w, height: h } = mask;
  const at = (m: Uint8Array, y: number, x: number): number => ((m[y * w + x] ?? 0) !== 0 ? 1 : 0);
  const seg = mask.data;
  const e = new Uint8Array(w * h);
  const s = new Uint8Array(w * h);
  const se = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (x < w - 1) e[y * w + x] = at(seg, y, x + 1);
      if (y < h - 1) s[y * w + x] = at(seg, y + 1, x);
      if (x < w - 1 && y < h - 1) se[y * w + x] = at(seg, y + 1, x + 1);
    }
  }
  const out = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = at(seg, y, x);
      out.data[y * w + x] = (v ^ at(e, y, x)) | (v ^ at(s, y, x)) | (v ^ at(se, y, x));
    }
  }
  for (let x = 0; x < w; x++) out.data[(h - 1) * w + x] = at(seg, h - 1, x) ^ at(e, h - 1, x);
  for (let y = 0; y < h; y++) out.data[y * w + w - 1] = at(seg, y, w - 1) ^ at(s, y, w - 1);
  if (w > 0 && h > 0) out.data[h * w - 1] = 0;
  return out;
}

/** Dilation by stamping the full disk kernel around every set pixel. */
export function naiveDilate(mask: BinaryMask, radius: number): BinaryMask {
  const { width: w, height: h } = mask;
  const out = createMask(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask.data[y * w + x]) continue;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (dx * dx + dy * dy <= radius * radius && yy >= 0 && yy < h && xx >= 0 && xx < w) out.data[yy * w + xx] = 1;
        }
      }
    }
  }
  return out;
}

/** DAVIS f_measure transcribed step by step on full maps. */
export function naiveBoundaryF(pred: BinaryMask, gt: BinaryMask, radius: number): number {
  const fb = naiveBoundary(pred);
  const gb = naiveBoundary(gt);
  const fd = naiveDilate(fb, radius);
  const gd = naiveDilate(gb, radius);
  let nf = 0;
  let ng = 0;
  let fm = 0;
  let gm = 0;
  for (let i = 0; i < fb.data.length; i++) {
    nf += fb.data[i] as number;
    ng += gb.data[i] as number;
    fm += (fb.data[i] as number) & (gd.data[i] as number);
    gm += (gb.data[i] as number) & (fd.data[i] as number);
  }
  let p: number;
  let r: number;
  if (nf === 0 && ng > 0) [p, r] = [1, 0];
  else if (nf > 0 && ng === 0) [p, r] = [0, 1];
  else if (nf === 0 && ng === 0) [p, r] = [1, 1];
  else [p, r] = [fm / nf, gm / ng];
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Row-major pixels visited in COCO's column-major order. */
export function columnMajor(mask: BinaryMask): number[] {
  const out: number[] = [];
  for (let x = 0; x < mask.width; x++)
    for (let y = 0; y < mask.height; y++) out.push(mask.data[y * mask.width + x] ? 1 : 0);
  return out;
}

export const DAVIS_ROOT = '/work/shared/data/davis2016';
