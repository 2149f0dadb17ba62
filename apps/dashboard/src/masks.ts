// Mask overlays: COCO RLE (the API's format) painted into an RGBA layer, one colour per object.
import { fromCocoRle } from '../../../libs/masks/src/rle-string';
import type { CocoRle } from './types';

const PALETTE: [number, number, number][] = [
  [230, 25, 75], [60, 180, 75], [0, 130, 200], [245, 130, 48], [145, 30, 180],
  [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128],
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
}

/** Paints layers into `image` (video-sized RGBA, cleared first); returns how many pixels it painted. */
export function paintLayers(image: ImageData, layers: Layer[]): number {
  let painted = 0;
  image.data.fill(0);
  const { width, height } = image;
  for (const layer of layers) {
    const mask = fromCocoRle(layer.rle);
    if (mask.width !== width || mask.height !== height) continue;
    const [r, g, b] = layer.colour;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!mask.data[i]) continue;
        const edge = layer.outline && (x === 0 || y === 0 || x === width - 1 || y === height - 1 || !mask.data[i - 1] || !mask.data[i + 1] || !mask.data[i - width] || !mask.data[i + width]);
        const a = edge ? 255 : layer.alpha;
        if (a === 0) continue;
        const o = i * 4;
        if (image.data[o + 3] === 0) painted++;
        image.data[o] = r;
        image.data[o + 1] = g;
        image.data[o + 2] = b;
        image.data[o + 3] = a;
      }
    }
  }
  return painted;
}
