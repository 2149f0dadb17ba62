/**
 * The DAVIS / PASCAL VOC label colour map.
 *
 * DAVIS annotations and most VOS tooling expect object k drawn in this exact colour, so indexed
 * PNGs we write open with the familiar colours in every viewer and round-trip through their
 * scripts. The map spreads the bits of the label over the high bits of R, G and B, which keeps
 * small label numbers visually far apart.
 */

/** 256 entries x [r, g, b], flattened (the layout of a PNG PLTE chunk). */
export function davisPalette(): Uint8Array {
  const palette = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let c = i;
    for (let j = 0; j < 8; j++) {
      r |= (c & 1) << (7 - j);
      g |= ((c >> 1) & 1) << (7 - j);
      b |= ((c >> 2) & 1) << (7 - j);
      c >>= 3;
    }
    palette[i * 3] = r;
    palette[i * 3 + 1] = g;
    palette[i * 3 + 2] = b;
  }
  return palette;
}
