// Mask overlays: COCO RLE (the API's format) painted into an RGBA layer, one colour per object.
import { fromCocoRle } from '@masklet/masks/rle-string';
import type { CocoRle } from './types';

const PALETTE: [number, number, number][] = [
  [230, 25, 75],
  [60, 180, 75],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
  [0, 128, 128],
];

export function objectColour(objectId: number): [number, number, number] {
  return PALETTE[(objectId - 1) % PALETTE.length]!;
}

export function cssColour(objectId: number, alpha = 1): string {
  const [r, g, b] = objectColour(objectId);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export interface Layer {
  rle: CocoRle;
  colour: [number, number, number];
  /** Fill alpha 0..255; 0 with outline draws only the boundary. */
  alpha: number;
  outline?: boolean;
  /**
   * A band DASH_WIDTH px wide inside the boundary, dashed in `colour` and black, nothing inside: an
   * earlier round drawn over the current one stays visible on any background and any fill colour.
   */
  dashed?: boolean;
}

const DASH_WIDTH = 3;
const DASH_LENGTH = 6;

/** Whether a mask pixel lies within `r` pixels (Chebyshev) of a pixel outside the mask or the image edge. */
function nearEdge(data: ArrayLike<number>, width: number, height: number, x: number, y: number, r: number): boolean {
  if (x < r || y < r || x >= width - r || y >= height - r) return true;
  for (let dy = -r; dy <= r; dy++) {
    const row = (y + dy) * width;
    for (let dx = -r; dx <= r; dx++) if (!data[row + x + dx]) return true;
  }
  return false;
}

/**
 * Paints layers into `image` (video-sized RGBA, cleared first), later layers over earlier ones;
 * returns how many pixels it painted, and per layer how many it painted in `perLayer` when given.
 */
export function paintLayers(image: ImageData, layers: Layer[], perLayer?: number[]): number {
  let painted = 0;
  image.data.fill(0);
  const { width, height } = image;
  for (const layer of layers) {
    let mine = 0;
    const mask = fromCocoRle(layer.rle);
    if (mask.width !== width || mask.height !== height) {
      perLayer?.push(0);
      continue;
    }
    const [r, g, b] = layer.colour;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!mask.data[i]) continue;
        let c: [number, number, number] = [r, g, b];
        let a = layer.alpha;
        if (layer.dashed) {
          if (!nearEdge(mask.data, width, height, x, y, DASH_WIDTH - 1)) continue;
          if (Math.floor((x + y) / DASH_LENGTH) % 2 === 1) c = [0, 0, 0];
          a = 255;
        } else if (layer.outline && nearEdge(mask.data, width, height, x, y, 1)) a = 255;
        if (a === 0) continue;
        const o = i * 4;
        if (image.data[o + 3] === 0) painted++;
        mine++;
        image.data[o] = c[0];
        image.data[o + 1] = c[1];
        image.data[o + 2] = c[2];
        image.data[o + 3] = a;
      }
    }
    perLayer?.push(mine);
  }
  return painted;
}
