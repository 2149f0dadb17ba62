/**
 * How long a GPU takes per frame, from the SAM 2.1 README's measured speeds (github.com/facebookresearch/sam2,
 * "SAM 2.1 checkpoints" table: A100, torch 2.5.1, CUDA 12.4, the whole model compiled): sam2.1_hiera_tiny
 * 91.2 FPS, small 84.8, base_plus 64.1, large 39.5. Those figures come from sam2/benchmark.py, which tracks
 * one object (one click on object 1), so they are the cost of a frame with one object.
 *
 * A frame's time splits into the image encoder (once per frame) and memory attention, mask decoder and
 * memory encoder (once per object). The README does not publish that split; OBJECT_SHARE is our
 * assumption (--object-share), so a frame with k objects takes frameMs * ((1 - share) + share * k).
 */
export const SAM21_A100_FPS = { tiny: 91.2, small: 84.8, base_plus: 64.1, large: 39.5 } as const;
export type Sam21Model = keyof typeof SAM21_A100_FPS;

export const DEFAULT_OBJECT_SHARE = 0.3;

export interface GpuLatency {
  model: Sam21Model;
  /** One frame with one object (ms). */
  frameMs: number;
  objectShare: number;
}

export function gpuLatency(model: Sam21Model, objectShare = DEFAULT_OBJECT_SHARE): GpuLatency {
  return { model, frameMs: 1000 / SAM21_A100_FPS[model], objectShare };
}

/** Milliseconds for one frame that tracks `objects` objects. */
export function frameMs(l: GpuLatency, objects: number): number {
  return l.frameMs * (1 - l.objectShare + l.objectShare * Math.max(1, objects));
}

/** Frames per second one GPU sustains on frames of `objects` objects: the ideal a virtual worker aims at. */
export function idealFps(l: GpuLatency, objects: number): number {
  return 1000 / frameMs(l, objects);
}
