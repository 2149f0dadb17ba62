// The static textured backdrop. A flat background would make segmentation a colour threshold; smooth
// gradients plus coarse colour blobs plus fine grain give the tracker distractors at every scale.
import { hash3, makeRng } from './random';
import type { BackgroundKind } from './scene';

const BLOB_CELL = 48;

/** Share of each pixel's colour kept around its grey level in a 'neutral' background: hues too pale to pass for an object's. */
const NEUTRAL_CHROMA = 0.12;

/** Renders the W*H*3 RGB background once per scene; frames copy it and draw objects on top. */
export function renderBackground(
  width: number,
  height: number,
  seed: number,
  kind: BackgroundKind = 'blobs',
): Uint8Array {
  const rng = makeRng(seed ^ 0x5bd1e995);
  const corner = () => [40 + rng() * 170, 40 + rng() * 170, 40 + rng() * 170] as const;
  const [c00, c10, c01, c11] = [corner(), corner(), corner(), corner()];
  // Coarse lattice of random colour offsets, bilinearly interpolated: soft blobs of varying hue.
  const gw = Math.ceil(width / BLOB_CELL) + 2;
  const gh = Math.ceil(height / BLOB_CELL) + 2;
  const lattice = new Float32Array(gw * gh * 3);
  for (let i = 0; i < lattice.length; i++) lattice[i] = (rng() - 0.5) * 90;

  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const v = y / (height - 1);
    const gy = y / BLOB_CELL;
    const y0 = Math.floor(gy);
    const fy = smooth(gy - y0);
    for (let x = 0; x < width; x++) {
      const u = x / (width - 1);
      const gx = x / BLOB_CELL;
      const x0 = Math.floor(gx);
      const fx = smooth(gx - x0);
      const grain = (hash3(seed, x, y) - 0.5) * 16;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const grad = (c00[c]! * (1 - u) + c10[c]! * u) * (1 - v) + (c01[c]! * (1 - u) + c11[c]! * u) * v;
        const l00 = lattice[(y0 * gw + x0) * 3 + c]!;
        const l10 = lattice[(y0 * gw + x0 + 1) * 3 + c]!;
        const l01 = lattice[((y0 + 1) * gw + x0) * 3 + c]!;
        const l11 = lattice[((y0 + 1) * gw + x0 + 1) * 3 + c]!;
        const blob = (l00 * (1 - fx) + l10 * fx) * (1 - fy) + (l01 * (1 - fx) + l11 * fx) * fy;
        out[o + c] = clamp(grad + blob + grain);
      }
      if (kind === 'neutral') {
        const grey = (out[o]! + out[o + 1]! + out[o + 2]!) / 3;
        for (let c = 0; c < 3; c++) out[o + c] = clamp(grey + (out[o + c]! - grey) * NEUTRAL_CHROMA);
      }
    }
  }
  return out;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
