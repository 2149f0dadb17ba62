// Dev only: tsx scripts/dev/track-centroids.ts <davis-dir> <seq> — per frame: J, predicted and true area and centroid.
import { SamModel, VideoSession } from '@masklet/engine';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { decodeRle, jaccard } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';
import { describeMask } from './describe-mask';

async function main(): Promise<void> {
  const [root, name] = process.argv.slice(2);
  const model = await SamModel.load(await ensureModel('reference'));
  const seq = (await listDavisSequences(root!)).find((s) => s.name === name)!;
  const source = await openImageDirectory(seq.framesDir);
  const session = new VideoSession(model, source);
  await session.addMask(0, 1, await readGroundTruth(seq.maskFiles[0]!));
  for await (const r of session.propagate({ startFrame: 0, direction: 'forward' })) {
    const gt = await readGroundTruth(seq.maskFiles[r.frame]!);
    const pred = decodeRle(r.objects[0]!.rle);
    console.log(r.frame, jaccard(pred, gt).toFixed(2), 'pred', describeMask(pred), 'gt', describeMask(gt));
  }
  await session.close();
  await source.close();
  await model.release();
}
void main();
