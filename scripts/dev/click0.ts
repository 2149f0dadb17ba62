// Frame-0 J of one click per DAVIS sequence (multimask choice), for model development.
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { SamModel, VideoSession } from '@masklet/engine';
import { decodeRle, farthestInteriorPoint, jaccard } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

async function main(): Promise<void> {
  const model = await SamModel.load(await ensureModel('reference'));
  for (const seq of await listDavisSequences(process.argv[2]!)) {
    const source = await openImageDirectory(seq.framesDir);
    const session = new VideoSession(model, source);
    const gt = await readGroundTruth(seq.maskFiles[0]!);
    const p = farthestInteriorPoint(gt)!;
    const r = await session.addPoints(0, 1, [{ x: p.x, y: p.y, label: 1 }]);
    const pred = decodeRle(r.objects[0]!.rle);
    console.log(
      seq.name,
      'J0',
      jaccard(pred, gt).toFixed(3),
      'area',
      r.objects[0]!.area,
      'gt',
      gt.data.reduce((a, b) => a + b, 0),
    );
    await session.close();
    await source.close();
  }
  await model.release();
}
void main();
