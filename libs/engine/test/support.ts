/** Shared by the engine's integration tests: the generated models and ground-truth comparisons. */
import { decodeRle, jaccard, BinaryMask } from '@masklet/masks';
import { maskOf, SceneOptions, syntheticFrameSource, SyntheticFrameSource } from '@masklet/video';
import { ensureModel } from '../../../models/generator/ensure-model';
import { FrameResult, ObjectMask, SamModel } from '../src';

const models = new Map<string, Promise<SamModel>>();

export function referenceModel(): Promise<SamModel> {
  let m = models.get('reference');
  if (!m) {
    m = ensureModel('reference').then((path) => SamModel.load(path));
    models.set('reference', m);
  }
  return m;
}

export function clip(opts: SceneOptions): SyntheticFrameSource {
  return syntheticFrameSource({ width: 320, height: 192, frames: 30, seed: 11, ...opts });
}

export function truthMask(source: SyntheticFrameSource, frame: number, objectId: number): BinaryMask {
  const { labels } = source.render(frame);
  return { width: source.info.width, height: source.info.height, data: maskOf(labels, objectId) };
}

export function iouWithTruth(source: SyntheticFrameSource, frame: number, mask: ObjectMask): number {
  return jaccard(decodeRle(mask.rle), truthMask(source, frame, mask.objectId));
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export async function collect(it: AsyncIterable<FrameResult>): Promise<FrameResult[]> {
  const out: FrameResult[] = [];
  for await (const r of it) out.push(r);
  return out;
}
