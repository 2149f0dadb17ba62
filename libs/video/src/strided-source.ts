import { assertFrameRequest, FrameSource, VideoInfo } from './frame-source';

/**
 * Every `step`-th frame of another source as a source of its own (frame i is the inner frame i * step):
 * the same video with its motion `step` times faster, which is how evaluation probes fast motion.
 */
export function everyNthFrame(inner: FrameSource, step: number): FrameSource {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`frame step must be a positive integer, got ${step}`);
  if (step === 1) return inner;
  const info: VideoInfo = { ...inner.info, numFrames: Math.ceil(inner.info.numFrames / step) };
  return {
    info,
    async readSquare(index: number, size: number): Promise<Uint8Array> {
      assertFrameRequest(info, index, size);
      return inner.readSquare(index * step, size);
    },
    close: () => inner.close(),
  };
}
