import type { Direction } from '@masklet/engine';

/**
 * The frames a propagation will produce, mirroring the engine's pass rules: forward covers
 * start..min(start+maxFrames, n-1); backward covers start..max(start-maxFrames, 0) only when start > 0;
 * 'both' runs forward then backward and its second visit of the start frame is not new.
 */
export function plannedFrameCount(numFrames: number, start: number, direction: Direction, maxFrames = numFrames): number {
  const forward = Math.min(start + maxFrames, numFrames - 1) - start + 1;
  const backward = start > 0 ? start - Math.max(start - maxFrames, 0) + 1 : 0;
  if (direction === 'forward') return forward;
  if (direction === 'backward') return backward;
  return forward + Math.max(0, backward - 1);
}
