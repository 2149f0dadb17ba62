// Dev only: tsx scripts/dev/correct.ts <davis-dir> — J of a tracked frame before and after one corrective click
// (the annotate bench's click), over frames 5, 15, 25, ... of each sequence tracked from a frame-0 click.
import { listDavisSequences, readGroundTruth, correctiveClick } from '@masklet/evaluation';
import { SamModel, VideoSession } from '@masklet/engine';
import { decodeRle, farthestInteriorPoint, jaccard } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';

async function main(): Promise<void> {
  const model = await SamModel.load(process.env.MODEL!);
  let sum = 0;
  let count = 0;
  for (const seq of await listDavisSequences(process.argv[2]!)) {
    const truth = await Promise.all(seq.maskFiles.map((f) => readGroundTruth(f)));
    const line: string[] = [];
    for (let f = 5; f < truth.length; f += 10) {
      const source = await openImageDirectory(seq.framesDir);
      const session = new VideoSession(model, source);
      const p = farthestInteriorPoint(truth[0]!)!;
      await session.addPoints(0, 1, [{ x: p.x, y: p.y, label: 1 }]);
      let pred = null;
      for await (const r of session.propagate({ startFrame: 0, maxFrames: f + 1 }))
        if (r.frame === f) pred = r.objects[0] ? decodeRle(r.objects[0].rle) : null;
      const before = pred ? jaccard(pred, truth[f]!) : 0;
      const click = pred && correctiveClick(pred, truth[f]!);
      if (click) {
        const r = await session.addPoints(f, 1, [{ x: click.x, y: click.y, label: click.label }], { clearOld: false });
        const after = jaccard(decodeRle(r.objects[0]!.rle), truth[f]!);
        line.push(`${f}${click.label ? '+' : '-'}:${before.toFixed(2)}>${after.toFixed(2)}`);
        sum += after - before;
        count++;
      }
      await session.close();
      await source.close();
    }
    console.log(seq.name, line.join(' '));
  }
  console.log(`mean dJ ${(sum / count).toFixed(4)} over ${count}`);
  await model.release();
}
void main();
