/**
 * Semi-supervised VOS evaluation of the engine on one sequence: prompt frame 0 (its ground-truth
 * mask, or one click at the most interior point), propagate forward, score every frame as it comes
 * (masks are not kept), then average with the DAVIS convention. With `frameStep` k > 1 the engine
 * sees every k-th frame only (the same video with k times faster motion), scored against its masks.
 */
import { boundaryF, decodeRle, farthestInteriorPoint, FrameScores, jaccard, meanSequenceScores } from '@masklet/masks';
import { SamModel, VideoSession } from '@masklet/engine';
import { everyNthFrame, openImageDirectory } from '@masklet/video';
import { DavisSequence, readGroundTruth } from './davis-sequence';

export type PromptKind = 'mask' | 'click';

export interface SequenceResult {
  name: string;
  frames: number;
  J: number;
  F: number;
  perFrame: FrameScores[];
  seconds: number;
}

export async function evaluateSequence(
  model: SamModel,
  seq: DavisSequence,
  prompt: PromptKind,
  frameStep = 1,
): Promise<SequenceResult> {
  const started = performance.now();
  const source = everyNthFrame(await openImageDirectory(seq.framesDir), frameStep);
  const maskFiles = seq.maskFiles.filter((_, i) => i % frameStep === 0);
  const session = new VideoSession(model, source);
  try {
    const first = await readGroundTruth(maskFiles[0]!);
    if (prompt === 'mask') {
      await session.addMask(0, 1, first);
    } else {
      const p = farthestInteriorPoint(first);
      if (!p) throw new Error(`${seq.name}: frame 0 ground truth is empty; cannot click`);
      await session.addPoints(0, 1, [{ x: p.x, y: p.y, label: 1 }]);
    }
    const perFrame: FrameScores[] = [];
    for await (const result of session.propagate({ startFrame: 0, direction: 'forward' })) {
      const file = maskFiles[result.frame];
      if (!file) break;
      const gt = await readGroundTruth(file);
      const obj = result.objects[0]!;
      const pred = decodeRle(obj.rle);
      perFrame[result.frame] = { J: jaccard(pred, gt), F: boundaryF(pred, gt) };
    }
    const { J, F } = meanSequenceScores(perFrame);
    return { name: seq.name, frames: perFrame.length, J, F, perFrame, seconds: (performance.now() - started) / 1000 };
  } finally {
    await session.close();
    await source.close();
  }
}
