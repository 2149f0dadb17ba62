/**
 * Semi-supervised VOS evaluation of the engine on one sequence: prompt frame 0 (its ground-truth
 * mask, or one click at the most interior point), propagate forward, score every frame as it comes
 * (masks are not kept), then average with the DAVIS convention.
 */
import { boundaryF, decodeRle, farthestInteriorPoint, FrameScores, jaccard, meanSequenceScores } from '@masklet/masks';
import { SamModel, VideoSession } from '@masklet/engine';
import { openImageDirectory } from '@masklet/video';
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
): Promise<SequenceResult> {
  const started = performance.now();
  const source = await openImageDirectory(seq.framesDir);
  const session = new VideoSession(model, source);
  try {
    const first = await readGroundTruth(seq.maskFiles[0]!);
    if (prompt === 'mask') {
      await session.addMask(0, 1, first);
    } else {
      const p = farthestInteriorPoint(first);
      if (!p) throw new Error(`${seq.name}: frame 0 ground truth is empty; cannot click`);
      await session.addPoints(0, 1, [{ x: p.x, y: p.y, label: 1 }]);
    }
    const perFrame: FrameScores[] = [];
    for await (const result of session.propagate({ startFrame: 0, direction: 'forward' })) {
      const file = seq.maskFiles[result.frame];
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
