// Dev only: tsx scripts/dev/track-centroids.ts <davis-dir> <seq> — per frame: J, predicted and true area and centroid.
import { SamModel, VideoSession } from '@masklet/engine';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { BinaryMask, decodeRle, jaccard } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

function stats(m: BinaryMask): string {
  let n = 0,
    sx = 0,
    sy = 0;
  for (let i = 0; i < m.data.length; i++)
    if (m.data[i]) {
      n++;
      sx += i % m.width;
      sy += Math.floor(i / m.width);
    }
  return `${String(n).padStart(6)} (${(sx / Math.max(n, 1)).toFixed(0)},${(sy / Math.max(n, 1)).toFixed(0)})`;
}

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
    console.log(r.frame, jaccard(pred, gt).toFixed(2), 'pred', stats(pred), 'gt', stats(gt));
  }
  await session.close();
  await source.close();
  await model.release();
}
void main();
