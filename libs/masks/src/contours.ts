/**
 * Mask -> polygons, for formats that store shapes as outlines (YOLO segmentation, CVAT polygons).
 *
 * The tracer follows pixel edges ("crack following"), not pixel centres: every polygon vertex is a
 * pixel corner, so filling the outer polygons at pixel centres gives back exactly the mask's pixels
 * (minus holes, which single-ring formats cannot carry). Foreground is 4-connected: two pixels that
 * touch only at a corner belong to different polygons.
 */
import { assertMask, type BinaryMask } from './binary-mask';

/** A closed ring of pixel-corner coordinates [x0, y0, x1, y1, ...], the last vertex joining the first. */
export interface Contour {
  points: number[];
  /** Shoelace area in pixels, positive for outer boundaries, negative for holes. */
  area: number;
}

// Edge directions in image coordinates (y grows downwards): right, down, left, up.
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;
const RIGHT = 0;
const DOWN = 1;
const LEFT = 2;
const UP = 3;

/**
 * Every boundary ring of the mask: outer rings clockwise on screen (positive area), hole rings
 * counter-clockwise (negative area). Collinear vertices are dropped, so a rectangle has four.
 */
export function traceContours(mask: BinaryMask): Contour[] {
  assertMask(mask);
  const { width: w, height: h, data } = mask;
  const vw = w + 1;
  // Per pixel corner, a bit per outgoing boundary edge (bit d = direction d). Edges are oriented with
  // the foreground on their right, so an outer boundary runs clockwise.
  const out = new Uint8Array(vw * (h + 1));
  const fg = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && data[y * w + x] !== 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!data[y * w + x]) continue;
      if (!fg(x, y - 1)) out[y * vw + x]! |= 1 << RIGHT; // top edge, left to right
      if (!fg(x + 1, y)) out[y * vw + x + 1]! |= 1 << DOWN; // right edge, top to bottom
      if (!fg(x, y + 1)) out[(y + 1) * vw + x + 1]! |= 1 << LEFT; // bottom edge, right to left
      if (!fg(x - 1, y)) out[(y + 1) * vw + x]! |= 1 << UP; // left edge, bottom to top
    }
  }
  const contours: Contour[] = [];
  for (let v = 0; v < out.length; v++) {
    while (out[v]) {
      const startDir = firstBit(out[v]!);
      contours.push(traceRing(out, vw, v, startDir));
    }
  }
  return contours;
}

/** Outer rings only, largest first: what a single-ring format can hold. */
export function outerContours(mask: BinaryMask): Contour[] {
  return traceContours(mask)
    .filter((c) => c.area > 0)
    .sort((a, b) => b.area - a.area);
}

/**
 * Follows edges from (start, startDir) until that edge comes round again. Where two rings touch at a
 * corner (two outgoing edges), the right turn is taken: it keeps to the pixel the ring arrived along,
 * which is what makes diagonal neighbours separate rings. Each edge has exactly one successor and one
 * predecessor under that rule, so the edges split into disjoint rings.
 */
function traceRing(out: Uint8Array, vw: number, start: number, startDir: number): Contour {
  const points: number[] = [];
  let v = start;
  let dir = startDir;
  let prevDir = -1;
  for (;;) {
    if (dir !== prevDir) points.push(v % vw, Math.floor(v / vw));
    out[v]! &= ~(1 << dir);
    v += DX[dir]! + DY[dir]! * vw;
    prevDir = dir;
    const bits = out[v]! | (v === start ? 1 << startDir : 0);
    const right = (dir + 1) & 3;
    const left = (dir + 3) & 3;
    const next = bits & (1 << right) ? right : bits & (1 << dir) ? dir : left;
    if (v === start && next === startDir) break;
    dir = next;
  }
  // The start vertex sits mid-way along a straight run when the ring arrives in its start direction.
  if (prevDir === startDir) points.splice(0, 2);
  return { points, area: shoelace(points) };
}

function firstBit(bits: number): number {
  for (let d = 0; d < 4; d++) if (bits & (1 << d)) return d;
  return -1;
}

function shoelace(p: number[]): number {
  let s = 0;
  const n = p.length;
  for (let i = 0; i < n; i += 2) {
    const j = (i + 2) % n;
    s += p[i]! * p[j + 1]! - p[j]! * p[i + 1]!;
  }
  return s / 2;
}

/**
 * Fills rings sampled at pixel centres (coordinates may be fractional). `evenodd` (default) toggles
 * across all rings, the exact inverse of `traceContours` with holes; `union` fills each ring on its
 * own and ORs them, as tools read one polygon per line (YOLO) or per shape (CVAT).
 */
export function fillPolygons(
  rings: readonly (readonly number[])[],
  width: number,
  height: number,
  rule: 'evenodd' | 'union' = 'evenodd',
): BinaryMask {
  const data = new Uint8Array(width * height);
  const xs: number[] = [];
  for (let y = 0; y < height; y++) {
    const cy = y + 0.5;
    for (const ring of rings) {
      xs.length = 0;
      const n = ring.length;
      for (let i = 0; i < n; i += 2) {
        const j = (i + 2) % n;
        const y0 = ring[i + 1]!;
        const y1 = ring[j + 1]!;
        if (y0 <= cy === y1 <= cy) continue;
        const x0 = ring[i]!;
        const x1 = ring[j]!;
        xs.push(x0 + ((cy - y0) / (y1 - y0)) * (x1 - x0));
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const from = Math.max(0, Math.ceil(xs[k]! - 0.5));
        const to = Math.min(width - 1, Math.ceil(xs[k + 1]! - 0.5) - 1);
        if (rule === 'union') for (let x = from; x <= to; x++) data[y * width + x] = 1;
        else for (let x = from; x <= to; x++) data[y * width + x]! ^= 1;
      }
    }
  }
  return { width, height, data };
}
