// Rasterises one synthetic frame together with its label map. Objects are painted back to front into
// both buffers, so each pixel's label is whoever is visible there: masks are the visible parts and can
// never overlap, exactly like DAVIS annotations.
import { hash3 } from './random';
import { poseAt, type Scene, type SceneObject } from './scene';

/** Label of occluder pixels: not a tracked object, but not background either. */
export const OCCLUDER_LABEL = 255;

/** Inclusive pixel box. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface RenderedFrame {
  /** W*H*3 RGB. */
  rgb: Uint8Array;
  /** W*H; 0 = background, object id = that object is visible, OCCLUDER_LABEL = occluder. */
  labels: Uint8Array;
  /** Per object (scene order): a box containing every pixel it may own this frame, or null when not drawn. Lets mask and truth passes skip the empty rest of the frame. */
  boxes: (Box | null)[];
}

// Texture comes from lookup tables rather than per-pixel Math.sin and hashing, which dominated the
// render time. Power-of-two sizes turn the wrap-around into a bit mask.
const STRIPE_PERIOD = 32;
const STRIPE = Float64Array.from({ length: STRIPE_PERIOD }, (_, i) => 6 * Math.sin((2 * Math.PI * i) / STRIPE_PERIOD));
const GRAIN_TILE = 64;
const grainCache = new WeakMap<SceneObject, Float64Array>();

/** Per-object grain: a tile of seeded noise, one value per 3x3 px cell of the object's own frame. */
function grainOf(obj: SceneObject): Float64Array {
  let tile = grainCache.get(obj);
  if (!tile) {
    tile = new Float64Array(GRAIN_TILE * GRAIN_TILE);
    for (let i = 0; i < tile.length; i++)
      tile[i] = (hash3(obj.textureSeed, i % GRAIN_TILE, Math.floor(i / GRAIN_TILE)) - 0.5) * 20;
    grainCache.set(obj, tile);
  }
  return tile;
}

/** The occluder never moves, so its pixels are rendered once per scene and pasted every frame. */
const occluderCache = new WeakMap<Scene, Uint8Array>();

export function renderFrame(scene: Scene, background: Uint8Array, f: number): RenderedFrame {
  const rgb = background.slice();
  // Clamped view: writes round and saturate to 0..255 natively instead of per-pixel Math.round/min/max.
  const out = new Uint8ClampedArray(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  const labels = new Uint8Array(scene.width * scene.height);
  const boxes: (Box | null)[] = scene.objects.map(() => null);
  for (const i of scene.drawOrder) boxes[i] = drawObject(scene, scene.objects[i]!, f, out, labels);
  if (scene.occluder) pasteOccluder(scene, rgb, labels);
  return { rgb, labels, boxes };
}

function drawObject(scene: Scene, obj: SceneObject, f: number, rgb: Uint8ClampedArray, labels: Uint8Array): Box | null {
  const pose = poseAt(scene, obj, f);
  if (!pose) return null;
  const { width, height } = scene;
  // Radius containing the shape under any rotation: a tight box matters, every pixel in it is tested.
  const bound =
    (obj.shape === 'roundedRect' ? Math.hypot(obj.halfW, obj.halfH) : Math.max(obj.halfW, obj.halfH)) * pose.scale + 1;
  const x0 = Math.max(0, Math.floor(pose.cx - bound));
  const x1 = Math.min(width - 1, Math.ceil(pose.cx + bound));
  const y0 = Math.max(0, Math.floor(pose.cy - bound));
  const y1 = Math.min(height - 1, Math.ceil(pose.cy + bound));
  if (x0 > x1 || y0 > y1) return null;
  // Pixels are mapped back into the object's own unrotated, unscaled frame; the shape test and the
  // texture both live there, so the texture moves, turns and scales with the object.
  const inv = 1 / pose.scale;
  const cos = Math.cos(pose.angle) * inv;
  const sin = Math.sin(pose.angle) * inv;
  const { halfW, halfH, corner, id } = obj;
  const grain = grainOf(obj);
  const tileMask = GRAIN_TILE - 1;
  const stripeMask = STRIPE_PERIOD - 1;
  const rounded = obj.shape === 'roundedRect';
  const [r, g, b] = obj.colour;
  const innerW = halfW - corner;
  const innerH = halfH - corner;
  const corner2 = corner * corner;
  const invW2 = 1 / (halfW * halfW);
  const invH2 = 1 / (halfH * halfH);
  const shadeK = 0.12 / halfH;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - pose.cy;
    const dx0 = x0 + 0.5 - pose.cx;
    // Local coordinates advance by a constant step along a row.
    let lx = dx0 * cos + dy * sin;
    let ly = dy * cos - dx0 * sin;
    for (let x = x0; x <= x1; x++, lx += cos, ly -= sin) {
      const ax = lx < 0 ? -lx : lx;
      const ay = ly < 0 ? -ly : ly;
      if (rounded) {
        if (ax > halfW || ay > halfH) continue;
        const qx = ax - innerW;
        const qy = ay - innerH;
        if (qx > 0 && qy > 0 && qx * qx + qy * qy > corner2) continue;
      } else if (lx * lx * invW2 + ly * ly * invH2 > 1) {
        continue;
      }
      // Mild texture: top-lit shading, soft stripes and 3-px grain, so the object is not a flat colour.
      const shade = 1 - ly * shadeK;
      const tex =
        grain[(Math.floor(lx / 3) & tileMask) + (Math.floor(ly / 3) & tileMask) * GRAIN_TILE]! +
        STRIPE[Math.floor(lx) & stripeMask]!;
      const p = y * width + x;
      rgb[p * 3] = r * shade + tex;
      rgb[p * 3 + 1] = g * shade + tex;
      rgb[p * 3 + 2] = b * shade + tex;
      labels[p] = id;
    }
  }
  return { x0, y0, x1, y1 };
}

function pasteOccluder(scene: Scene, rgb: Uint8Array, labels: Uint8Array): void {
  const { width, height } = scene;
  const rect = scene.occluder!;
  const x0 = Math.max(0, rect.x);
  const x1 = Math.min(width, rect.x + rect.w);
  const y0 = Math.max(0, rect.y);
  const y1 = Math.min(height, rect.y + rect.h);
  if (x0 >= x1 || y0 >= y1) return;
  let pixels = occluderCache.get(scene);
  if (!pixels) {
    pixels = new Uint8Array((x1 - x0) * (y1 - y0) * 3);
    const px = new Uint8ClampedArray(pixels.buffer);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const v =
          95 +
          4 * STRIPE[(x - rect.x) & (STRIPE_PERIOD - 1)]! +
          (hash3(scene.seed ^ 0x7f4a7c15, x >> 2, y >> 2) - 0.5) * 24;
        const o = ((y - y0) * (x1 - x0) + (x - x0)) * 3;
        px[o] = v;
        px[o + 1] = v * 0.95;
        px[o + 2] = v * 1.08;
      }
    }
    occluderCache.set(scene, pixels);
  }
  const rowBytes = (x1 - x0) * 3;
  for (let y = y0; y < y1; y++) {
    rgb.set(pixels.subarray((y - y0) * rowBytes, (y - y0 + 1) * rowBytes), (y * width + x0) * 3);
    labels.fill(OCCLUDER_LABEL, y * width + x0, y * width + x1);
  }
}

/** The DAVIS-style binary mask (0/255) of one object from a label map. */
export function maskOf(labels: Uint8Array, id: number): Uint8Array {
  return masksOf(labels, [id])[0]!;
}

/**
 * Binary masks (0/255) of several objects. With `width` and `boxes` (from RenderedFrame, same order as
 * ids) only each object's box is scanned, which is most of the speed of writing a clip.
 */
export function masksOf(
  labels: Uint8Array,
  ids: readonly number[],
  width?: number,
  boxes?: readonly (Box | null)[],
): Uint8Array[] {
  return ids.map((id, k) => {
    const mask = new Uint8Array(labels.length);
    const box = boxes?.[k];
    if (width === undefined || boxes === undefined) {
      for (let i = 0; i < labels.length; i++) if (labels[i] === id) mask[i] = 255;
    } else if (box) {
      for (let y = box.y0; y <= box.y1; y++) {
        for (let i = y * width + box.x0, end = y * width + box.x1; i <= end; i++) if (labels[i] === id) mask[i] = 255;
      }
    }
    return mask;
  });
}
