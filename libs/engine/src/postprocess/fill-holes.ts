/**
 * SAM 2's video predictor fills background holes of at most `maxArea` pixels in the low-resolution
 * logits (fill_holes_in_mask_scores): 8-connected components of (logit <= 0) that are that small
 * get the small positive score 0.1. Works in place; scratch buffers are reused across calls.
 */
export class HoleFiller {
  private labels = new Int32Array(0);
  private stack = new Int32Array(0);

  fill(logits: Float32Array, offset: number, size: number, maxArea: number): void {
    if (maxArea <= 0) return;
    const n = size * size;
    if (this.labels.length < n) {
      this.labels = new Int32Array(n);
      this.stack = new Int32Array(n);
    }
    const visited = this.labels;
    visited.fill(0, 0, n);
    const stack = this.stack;
    const component: number[] = [];
    for (let start = 0; start < n; start++) {
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
