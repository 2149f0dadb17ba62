// Per-frame ground truth derived from the label map (not from the scene geometry), so visibility and
// click points describe what is actually on screen after occlusion and clipping at the frame border.
import type { Box } from './render';

export interface ObjectTruth {
  id: number;
  /** Visible pixels. */
  area: number;
  visible: boolean;
  /** Pixel [x, y] well inside the visible mask, for simulated clicks; null when not visible. */
  click: [number, number] | null;
}

/**
 * Visibility, area and click point per object. `boxes` (RenderedFrame.boxes, same order as ids) limits
 * each object's scan to where it was drawn; without it the whole frame is scanned per object.
 */
export function frameTruth(
  labels: Uint8Array,
  width: number,
  height: number,
  ids: readonly number[],
  boxes?: readonly (Box | null)[],
): ObjectTruth[] {
  const whole: Box = { x0: 0, y0: 0, x1: width - 1, y1: height - 1 };
  return ids.map((id, k) => {
    const region = boxes ? boxes[k] : whole;
    return region ? objectTruth(labels, width, id, region) : { id, area: 0, visible: false, click: null };
  });
}

function objectTruth(labels: Uint8Array, width: number, id: number, region: Box): ObjectTruth {
  let area = 0;
  let sumX = 0;
  let sumY = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = region.y0; y <= region.y1; y++) {
    for (let x = region.x0, i = y * width + region.x0; x <= region.x1; x++, i++) {
      if (labels[i] !== id) continue;
      area++;
      sumX += x;
      sumY += y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (area === 0) return { id, area: 0, visible: false, click: null };
  const centroid: [number, number] = [Math.round(sumX / area), Math.round(sumY / area)];
  return { id, area, visible: true, click: clickPoint(labels, width, id, { x0, y0, x1, y1 }, centroid) };
}

/**
 * The centroid when it sits comfortably inside the mask (at least half as deep as the deepest pixel),
 * else the pixel farthest from the mask border. A bare centroid can fall outside a crescent left by a
 * partial occlusion; a bare farthest pixel jitters between frames on symmetric shapes.
 */
function clickPoint(
  labels: Uint8Array,
  width: number,
  id: number,
  box: Box,
  centroid: [number, number],
): [number, number] {
  // Chamfer 3-4 distance transform over the bounding box, padded by one background pixel so the frame
  // border and the box edge both count as mask border.
  const bw = box.x1 - box.x0 + 3;
  const bh = box.y1 - box.y0 + 3;
  const d = new Int32Array(bw * bh);
  const INF = 1 << 28;
  for (let y = 1; y < bh - 1; y++) {
    for (let x = 1; x < bw - 1; x++) {
      if (labels[(box.y0 + y - 1) * width + box.x0 + x - 1] === id) d[y * bw + x] = INF;
    }
  }
  for (let y = 1; y < bh - 1; y++) {
    for (let x = 1; x < bw - 1; x++) {
      const i = y * bw + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(d[i]!, d[i - 1]! + 3, d[i - bw]! + 3, d[i - bw - 1]! + 4, d[i - bw + 1]! + 4);
    }
  }
  let best = -1;
  let bestAt = 0;
  for (let y = bh - 2; y >= 1; y--) {
    for (let x = bw - 2; x >= 1; x--) {
      const i = y * bw + x;
      if (d[i] === 0) continue;
      const v = Math.min(d[i]!, d[i + 1]! + 3, d[i + bw]! + 3, d[i + bw + 1]! + 4, d[i + bw - 1]! + 4);
      d[i] = v;
      if (v >= best) {
        best = v;
        bestAt = i;
      }
    }
  }
  const [cx, cy] = centroid;
  const ci = (cy - box.y0 + 1) * bw + (cx - box.x0 + 1);
  if (cx >= box.x0 && cx <= box.x1 && cy >= box.y0 && cy <= box.y1 && d[ci]! * 2 >= best) return centroid;
  return [box.x0 + (bestAt % bw) - 1, box.y0 + Math.floor(bestAt / bw) - 1];
}
