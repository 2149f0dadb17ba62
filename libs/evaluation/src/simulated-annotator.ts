/**
 * The scripted annotator of the annotation benchmark. It looks at the ground truth only to decide
 * where to click, the way SAM 2's interactive evaluation simulates a person: the centre of the
 * largest error region, positive on missed pixels, negative on false ones.
 */
import { farthestInteriorPoint, type BinaryMask } from '@masklet/masks';

export interface SimulatedClick {
  x: number;
  y: number;
  label: 0 | 1;
  /** Pixels of the error region the click targets. */
  regionArea: number;
}

/** The largest 4-connected component of `mask`, as a mask of the same size (empty when none). */
export function largestComponent(mask: BinaryMask): { mask: BinaryMask; area: number } {
  const { width, height, data } = mask;
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let best = 0;
  let bestLabel = 0;
  let next = 0;
  for (let i = 0; i < data.length; i++) {
    if (!data[i] || label[i]) continue;
    next++;
    let area = 0;
    let top = 0;
    stack[top++] = i;
    label[i] = next;
    while (top > 0) {
      const p = stack[--top]!;
      area++;
      const x = p % width;
      const neighbours = [
        x > 0 ? p - 1 : -1,
        x < width - 1 ? p + 1 : -1,
        p >= width ? p - width : -1,
        p + width < data.length ? p + width : -1,
      ];
      for (const q of neighbours) {
        if (q >= 0 && data[q] && !label[q]) {
          label[q] = next;
          stack[top++] = q;
        }
      }
    }
    if (area > best) {
      best = area;
      bestLabel = next;
    }
  }
  const out = new Uint8Array(width * height);
  if (bestLabel) for (let i = 0; i < out.length; i++) out[i] = label[i] === bestLabel ? 1 : 0;
  return { mask: { width, height, data: out }, area: best };
}

/** The click that fixes most of the prediction's largest error, or null when it has none. */
export function correctiveClick(pred: BinaryMask, truth: BinaryMask): SimulatedClick | null {
  const n = pred.data.length;
  const missed = new Uint8Array(n);
  const extra = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    missed[i] = truth.data[i] && !pred.data[i] ? 1 : 0;
    extra[i] = pred.data[i] && !truth.data[i] ? 1 : 0;
  }
  const fn = largestComponent({ width: pred.width, height: pred.height, data: missed });
  const fp = largestComponent({ width: pred.width, height: pred.height, data: extra });
  const target = fn.area >= fp.area ? { ...fn, label: 1 as const } : { ...fp, label: 0 as const };
  if (target.area === 0) return null;
  const p = farthestInteriorPoint(target.mask)!;
  return { x: p.x, y: p.y, label: target.label, regionArea: target.area };
}
