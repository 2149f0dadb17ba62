/**
 * SAM 2's video predictor fills background holes of at most `maxArea` pixels in the low-resolution
 * logits (fill_holes_in_mask_scores): 8-connected components of (logit <= 0) that are that small
 * get the small positive score 0.1. Works in place; scratch buffers are reused across calls.
 *
 * Only the foreground's bounding box (plus a one-pixel ring) is searched: background outside the box
 * is connected to a whole grid row or column, so any component reaching the ring is not a hole
 * (given grid side > maxArea, true for every SAM 2 model).
 */
import { positiveBounds } from './positive-bounds';

export class HoleFiller {
  private visited = new Uint8Array(0);
  private stack = new Int32Array(0);
  private readonly component: number[] = [];

  fill(logits: Float32Array, offset: number, size: number, maxArea: number): void {
    if (maxArea <= 0) return;
    const n = size * size;
    const bounds = positiveBounds(logits, offset, size);
    if (!bounds) return;
    const { x0: bx0, x1: bx1, y0: by0, y1: by1 } = bounds;
    const rx0 = Math.max(bx0 - 1, 0);
    const rx1 = Math.min(bx1 + 1, size - 1);
    const ry0 = Math.max(by0 - 1, 0);
    const ry1 = Math.min(by1 + 1, size - 1);
    if (this.visited.length < n) {
      this.visited = new Uint8Array(n);
      this.stack = new Int32Array(n);
    }
    const visited = this.visited;
    for (let y = ry0; y <= ry1; y++) visited.fill(0, y * size + rx0, y * size + rx1 + 1);
    const stack = this.stack;
    const component = this.component;
    for (let sy = ry0; sy <= ry1; sy++) {
      for (let sx = rx0; sx <= rx1; sx++) {
        const start = sy * size + sx;
        if (visited[start] || logits[offset + start]! > 0) continue;
        component.length = 0;
        let top = 0;
        stack[top++] = start;
        visited[start] = 1;
        let tooBig = false;
        while (top > 0) {
          const p = stack[--top]!;
          if (!tooBig) {
            component.push(p);
            if (component.length > maxArea) tooBig = true;
          }
          const y = (p / size) | 0;
          const x = p - y * size;
          for (let dy = -1; dy <= 1; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= size) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx;
              if ((dx === 0 && dy === 0) || xx < 0 || xx >= size) continue;
              if (xx < rx0 || xx > rx1 || yy < ry0 || yy > ry1) {
                tooBig = true; // joins the background outside the search box
                continue;
              }
              const q = yy * size + xx;
              if (!visited[q] && logits[offset + q]! <= 0) {
                visited[q] = 1;
                stack[top++] = q;
              }
            }
          }
        }
        if (!tooBig) for (const p of component) logits[offset + p] = 0.1;
      }
    }
  }
}
