/**
 * DAVIS's `seg2bmap` (after D. Martin's BSDS code): a one-pixel boundary map offset half a pixel
 * towards the origin.
 *
 * A pixel is on the boundary when it differs from its right, bottom or bottom-right neighbour.
 * Note it is not restricted to foreground: the background pixel left of / above an object edge is
 * marked too; that is what DAVIS scores, so F values only match if we do the same. Neighbours
 * outside the image are ignored (DAVIS zero-pads the shifted copies, then overwrites the last
 * row and column), so an object touching the bottom/right border has no boundary along it, and
 * the bottom-right pixel is never a boundary.
 */
import { assertMask, type BinaryMask } from './binary-mask';
import { RowPointsBuilder, rowPointsToMask, type RowPoints } from './row-points';

export function boundaryMap(mask: BinaryMask): BinaryMask {
  return rowPointsToMask(boundaryPoints(mask));
}

/** The boundary pixels as a sparse point set; the form the F-measure consumes. */
export function boundaryPoints(mask: BinaryMask): RowPoints {
  assertMask(mask);
  const { width: w, height: h, data: d } = mask;
  const out = new RowPointsBuilder(w, h);
  if (w === 0 || h === 0) return out.finish();
  for (let y = 0; y < h - 1; y++) {
    out.startRow(y);
    const top = y * w;
    const bottom = top + w;
    // Off the last column, "differs from right, bottom or bottom-right" is the same as "the 2x2
    // block starting here is not constant": its sum is neither 0 nor 4. Column sums are carried
    // along so each pixel is read once per row pair.
    let left = (d[top] ? 1 : 0) + (d[bottom] ? 1 : 0);
    for (let x = 0; x < w - 1; x++) {
      const right = (d[top + x + 1] ? 1 : 0) + (d[bottom + x + 1] ? 1 : 0);
      if ((left + right) & 3) out.add(x);
      left = right;
    }
    // Last column: only the pixel below exists.
    if (!d[top + w - 1] !== !d[bottom + w - 1]) out.add(w - 1);
  }
  // Last row: only the pixel to the right exists; the corner has no neighbour at all.
  out.startRow(h - 1);
  const last = (h - 1) * w;
  for (let x = 0; x < w - 1; x++) if (!d[last + x] !== !d[last + x + 1]) out.add(x);
  return out.finish();
}
