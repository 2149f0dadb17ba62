// Dev only: tsx scripts/dev/loop.ts <davis-dir> [rounds=3] — the annotator's loop in one engine session, without
// the platform: one click at frame 0's most interior point, then per round one corrective click (the annotate
// bench's) on the lowest-J frame, with that frame's earlier clicks, re-propagated both ways; corrections become
// conditioning frames as in the platform (its job session options). Prints J&F per round (the sequence mean the
// annotate bench takes) and each corrected frame's J before -> after.
// MODEL=<manifest> evaluates another model.
import { SamModel, VideoSession } from '@masklet/engine';
import { correctiveClick, listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import {
  boundaryF,
  decodeRle,
  farthestInteriorPoint,
  jaccard,
  meanSequenceScores,
  type BinaryMask,
} from '@masklet/masks';
import { jobSessionOptions } from '@masklet/masklets';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

async function main() {
  const [root, roundsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg ?? 3);
  const model = await SamModel.load(process.env.MODEL ?? (await ensureModel('reference')), {});
  const totals = new Array(rounds + 1).fill(0);
  let nseq = 0;
  for (const seq of await listDavisSequences(root!)) {
    const source = await openImageDirectory(seq.framesDir);
    const session = new VideoSession(model, source, jobSessionOptions({}));
    const gts = await Promise.all(seq.maskFiles.map((f) => readGroundTruth(f)));
    const preds: BinaryMask[] = [];
    const run = async () => {
      for await (const r of session.propagate({ direction: 'both' })) {
        if (r.frame < gts.length) preds[r.frame] = decodeRle(r.objects[0]!.rle);
      }
    };
    const p0 = farthestInteriorPoint(gts[0]!)!;
    await session.addPoints(0, 1, [{ x: p0.x, y: p0.y, label: 1 }]);
    await run();
    const line: string[] = [];
    const clicks = new Map<number, { x: number; y: number; label: 0 | 1 }[]>([[0, [{ x: p0.x, y: p0.y, label: 1 }]]]);
    for (let round = 0; round <= rounds; round++) {
      const scores = gts.map((g, f) => ({ J: jaccard(preds[f]!, g), F: boundaryF(preds[f]!, g) }));
      const mean = meanSequenceScores(scores);
      const jf = (mean.J + mean.F) / 2;
      const J = scores.map((s) => s.J);
      totals[round] += jf;
      line.push(jf.toFixed(3));
      if (round === rounds) break;
      let w = 0;
      J.forEach((j, f) => {
        if (j < J[w]!) w = f;
      });
      const c = correctiveClick(preds[w]!, gts[w]!);
      if (!c) continue;
      const list = [...(clicks.get(w) ?? []), { x: c.x, y: c.y, label: c.label }];
      clicks.set(w, list);
      const res = await session.addPoints(w, 1, list);
      const after = decodeRle(res.objects[0]!.rle);
      line.push(`[f${w} ${c.label ? '+' : '-'} ${J[w]!.toFixed(2)}->${jaccard(after, gts[w]!).toFixed(2)}]`);
      await run();
    }
    console.log(seq.name.padEnd(16), line.join(' '));
    nseq++;
    await session.close();
    await source.close();
  }
  console.log('mean per round', totals.map((t) => (t / nseq).toFixed(4)).join(' '));
  await model.release();
}
void main();
