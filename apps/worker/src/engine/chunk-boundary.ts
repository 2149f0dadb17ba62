/**
 * Where a propagation pass pauses for the chunk writer: after the last frame of the pass and after
 * the last frame (in travel order) of each aligned block of `chunkFrames`, whatever the start frame
 * or direction. Both engine hosts pause by this one rule, so the writer and the engine always agree.
 */
export function isChunkBoundary(frame: number, step: 1 | -1, end: number, chunkFrames: number): boolean {
  if (frame === end) return true;
  return Math.floor((frame + step) / chunkFrames) !== Math.floor(frame / chunkFrames);
}
