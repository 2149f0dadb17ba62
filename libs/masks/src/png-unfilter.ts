/**
 * Reverses PNG scanline filtering (spec section 9).
 *
 * Needed by our own palette decoder; encoders such as PIL and libpng pick a filter per row, so
 * all five types occur in real DAVIS-style annotation files.
 */

/**
 * @param raw inflated IDAT: per row one filter-type byte then `rowBytes` bytes (left untouched)
 * @param bpp bytes per complete pixel, rounded up to 1 for sub-byte depths (as the spec defines)
 * @returns the unfiltered rows without their filter bytes
 */
export function unfilterScanlines(raw: Uint8Array, rowBytes: number, height: number, bpp: number): Uint8Array {
  const stride = rowBytes + 1;
  if (raw.length < stride * height) throw new Error(`PNG image data too short: ${raw.length} < ${stride * height}`);
  const out = new Uint8Array(rowBytes * height);
  const zero = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * stride] as number;
    const cur = raw.subarray(y * stride + 1, y * stride + stride);
    const prev = y === 0 ? zero : out.subarray((y - 1) * rowBytes, y * rowBytes);
    const dst = out.subarray(y * rowBytes, (y + 1) * rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? (dst[i - bpp] as number) : 0; // left
      const b = prev[i] as number; // up
      const c = i >= bpp ? (prev[i - bpp] as number) : 0; // up-left
      const x = cur[i] as number;
      switch (filter) {
        case 0:
          dst[i] = x;
          break;
        case 1:
          dst[i] = x + a;
          break;
        case 2:
          dst[i] = x + b;
          break;
        case 3:
          dst[i] = x + ((a + b) >> 1);
          break;
        case 4:
          dst[i] = x + paeth(a, b, c);
          break;
        default:
          throw new Error(`PNG row ${y}: unknown filter type ${filter}`);
      }
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}
