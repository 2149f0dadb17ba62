/** Synthetic test scenes: solid-colour discs on a seeded random-colour textured background. */
import { Rng } from '@masklet/onnx-builder';

export interface Disc {
  cx: number;
  cy: number;
  r: number;
  rgb: [number, number, number];
}

export interface Scene {
  size: number;
  /** Interleaved RGB in [0, 1], row-major. */
  rgb: Float32Array;
}

/** A background of `block`-pixel squares of random colours (seeded), with discs painted on top. */
export function makeScene(size: number, discs: readonly Disc[], seed = 7, block = 3): Scene {
  const rng = new Rng(seed);
  const rgb = new Float32Array(size * size * 3);
  const blocks = Math.ceil(size / block);
  const palette = Float32Array.from({ length: blocks * blocks * 3 }, () => rng.next());
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const b = (Math.floor(y / block) * blocks + Math.floor(x / block)) * 3;
      const o = (y * size + x) * 3;
      rgb[o] = palette[b]!;
      rgb[o + 1] = palette[b + 1]!;
      rgb[o + 2] = palette[b + 2]!;
      for (const d of discs) {
        if ((x + 0.5 - d.cx) ** 2 + (y + 0.5 - d.cy) ** 2 <= d.r * d.r) {
          rgb[o] = d.rgb[0];
          rgb[o + 1] = d.rgb[1];
          rgb[o + 2] = d.rgb[2];
        }
      }
    }
  }
  return { size, rgb };
}

/** The encoder input: [1, 3, S, S] planar, (x - mean) / std. */
export function normalise(scene: Scene, mean: readonly number[], std: readonly number[]): Float32Array {
  const n = scene.size * scene.size;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[c * n + i] = (scene.rgb[i * 3 + c]! - mean[c]!) / std[c]!;
  }
  return out;
}

/** A disc's mask on an n x n grid covering the S x S image (cell centres tested). */
export function discMask(disc: Disc, n: number, size: number): Uint8Array {
  const out = new Uint8Array(n * n);
  const step = size / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = (j + 0.5) * step;
      const y = (i + 0.5) * step;
      out[i * n + j] = (x - disc.cx) ** 2 + (y - disc.cy) ** 2 <= disc.r * disc.r ? 1 : 0;
    }
  }
  return out;
}

/** IoU of logits > 0 (at `offset` in a flat array) with a binary mask. */
export function iouOfLogits(logits: Float32Array, offset: number, mask: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < mask.length; i++) {
    const a = logits[offset + i]! > 0;
    const b = mask[i] === 1;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? 1 : inter / union;
}
