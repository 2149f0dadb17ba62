/** The bounding box of positive logits in an L x L grid, or null when nothing is positive. */
export interface GridBounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function positiveBounds(logits: Float32Array, offset: number, size: number): GridBounds | null {
  let x0 = size;
  let x1 = -1;
  let y0 = size;
  let y1 = -1;
  for (let y = 0; y < size; y++) {
    const row = offset + y * size;
    for (let x = 0; x < size; x++) {
      if (logits[row + x]! > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, x1, y0, y1 };
}
