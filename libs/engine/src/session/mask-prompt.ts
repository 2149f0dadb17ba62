/**
 * A mask prompt brought to the model's input square as SAM2VideoPredictor.add_new_mask does: a mask
 * of another size is resized with the antialiased bilinear and thresholded at 0.5; a mask already
 * S x S is used as it is. Whether the object is present is decided on that square
 * (SAM2Base._use_mask_as_output), so a sliver that vanishes in the resize counts as absent.
 */
import { resizeAntialiasedBilinear } from '../preprocess/antialias-bilinear';
import type { MaskPrompt } from './types';

export interface SquareMask {
  /** [S, S] row-major, 0 / 1. */
  values: Float32Array;
  present: boolean;
}

export function maskToInputSquare(mask: MaskPrompt, size: number): SquareMask {
  const video = new Float32Array(mask.width * mask.height);
  for (let i = 0; i < video.length; i++) video[i] = mask.data[i] ? 1 : 0;
  let values: Float32Array = video;
  if (mask.width !== size || mask.height !== size) {
    values = resizeAntialiasedBilinear(video, mask.height, mask.width, size, size);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! >= 0.5 ? 1 : 0;
  }
  let present = false;
  for (let i = 0; i < values.length && !present; i++) present = values[i]! > 0;
  return { values, present };
}

/** The reference feeds a square mask to the prompt encoder resized to its L x L input (the path without useMaskInputAsOutputWithoutSam). */
export function squareMaskToLowRes(square: Float32Array, size: number, lowRes: number): Float32Array {
  return size === lowRes ? square.slice() : resizeAntialiasedBilinear(square, size, size, lowRes, lowRes);
}
