/** Public shapes of the engine's session API. Coordinates are in video pixels. */
export interface Point {
  x: number;
  y: number;
  /** 1 positive, 0 negative. */
  label: 0 | 1;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface MaskPrompt {
  width: number;
  height: number;
  /** Row-major 0/1 at video resolution. */
  data: Uint8Array;
}

export type Direction = 'forward' | 'backward' | 'both';

export interface PropagateOptions {
  startFrame?: number;
  direction?: Direction;
  /** Frames to track past the start frame, per pass. */
  maxFrames?: number;
}

export interface ObjectMask {
  objectId: number;
  /** COCO RLE (column-major counts) at video resolution. */
  rle: { size: [height: number, width: number]; counts: number[] };
  area: number;
  bbox: [number, number, number, number] | null;
  /** The decoder's object-presence logit; <= 0 means occluded / absent. */
  objectScore: number;
  /**
   * The decoder's predicted IoU of the chosen mask (its own quality estimate, 0..1; 1 for a mask
   * prompt); null when the object has no output on this frame or it is unknown (an old checkpoint).
   */
  predictedIou: number | null;
}

export interface FrameResult {
  frame: number;
  /** Which pass produced it; prompts answer with 'prompt'. */
  pass: 'forward' | 'backward' | 'prompt';
  objects: ObjectMask[];
}

export class EngineInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineInputError';
  }
}
