/**
 * COCO's compressed RLE string, byte-compatible with pycocotools `rleToString` / `rleFrString`.
 *
 * Each count (from the fourth on, as a delta against the count two places back: same-valued runs
 * tend to have similar lengths) is written as little-endian 5-bit groups in ASCII 48..111, bit
 * 0x20 meaning "more groups follow" and bit 0x10 of the last group acting as the sign bit.
 * Arithmetic uses exact integer division instead of `>>` so counts beyond 2^31 stay correct.
 */
import type { BinaryMask } from './binary-mask';
import { assertRle, decodeRle, encodeRle, type Rle } from './rle';

export interface CocoRle {
  /** [height, width] */
  size: [number, number];
  counts: string;
}

const CHAR_OFFSET = 48;
// 10 groups = 50 bits: anything longer cannot be a safe integer and is corrupt input.
const MAX_GROUPS = 10;

export function rleToString(counts: readonly number[]): string {
  const codes: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i] as number;
    // pycocotools deltas only from index 3 (`i > 2`), not 2; keep the quirk or strings differ.
    if (i > 2) x -= counts[i - 2] as number;
    let more = true;
    while (more) {
      let c = x & 0x1f; // low 5 bits survive ToInt32 for any integer, negative included
      x = (x - c) / 32; // == x >> 5 (arithmetic), without the 32-bit limit
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      codes.push(c + CHAR_OFFSET);
    }
  }
  return fromCharCodes(codes);
}

export function rleFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let scale = 1;
    let groups = 0;
    let c = 0;
    do {
      if (p >= s.length) throw new RangeError('rleFromString: string ends inside a count');
      c = s.charCodeAt(p++) - CHAR_OFFSET;
      if (c < 0 || c > 0x3f) throw new RangeError(`rleFromString: invalid character at ${p - 1}`);
      if (++groups > MAX_GROUPS) throw new RangeError('rleFromString: count too large');
      x += (c & 0x1f) * scale;
      scale *= 32;
    } while (c & 0x20);
    if (c & 0x10) x -= scale; // sign-extend from the last group's top bit
    const i = counts.length;
    if (i > 2) x += counts[i - 2] as number;
    if (x < 0) throw new RangeError(`rleFromString: count ${i} decodes to ${x}`);
    counts.push(x);
  }
  return counts;
}

export function compressRle(rle: Rle): CocoRle {
  assertRle(rle);
  return { size: [rle.size[0], rle.size[1]], counts: rleToString(rle.counts) };
}

export function decompressRle(coco: CocoRle): Rle {
  const rle: Rle = { size: [coco.size[0], coco.size[1]], counts: rleFromString(coco.counts) };
  assertRle(rle);
  return rle;
}

export function toCocoRle(mask: BinaryMask): CocoRle {
  return compressRle(encodeRle(mask));
}

export function fromCocoRle(coco: CocoRle): BinaryMask {
  return decodeRle(decompressRle(coco));
}

function fromCharCodes(codes: number[]): string {
  // Chunked because spreading a huge array into fromCharCode overflows the call stack.
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) {
    out += String.fromCharCode(...codes.slice(i, i + 8192));
  }
  return out;
}
