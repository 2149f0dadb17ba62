/**
 * Engine session options of a job. The worker's rounds and the API's previews both build their session
 * from this, so a preview is computed exactly as the committed round will compute that frame.
 * Corrections on tracked frames become conditioning frames: the annotator's click must survive the
 * propagation that follows it (see VideoSessionOptions.correctionsAsConditioning).
 */
export interface JobSessionOptions {
  nonOverlap: boolean;
  correctionsAsConditioning: boolean;
}

export function jobSessionOptions(options: unknown): JobSessionOptions {
  const nonOverlap = (options as { nonOverlap?: unknown } | null)?.nonOverlap === true;
  return { nonOverlap, correctionsAsConditioning: true };
}
