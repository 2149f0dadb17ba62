// Dev only: tsx scripts/dev/one-step.ts <davis-dir> [step=3] — one tracking step from the truth: frame t-1 is
// prompted with its ground-truth mask and frame t tracked, for every step-th t. Prints J and F of frame t per
// sequence next to "copy J", the J of frame t-1's truth as the prediction (no motion, no colour).
// MODEL=<manifest> evaluates another model.
import { SamModel, VideoSession } from '@masklet/engine';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { boundaryF, decodeRle, jaccard } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

async function main() {
  const [root, stepArg] = process.argv.slice(2);
  const step = Number(stepArg ?? 3);
  const model = await SamModel.load(process.env.MODEL ?? (await ensureModel('reference')), {});
  let all = 0,
    allCopy = 0,
    n = 0;
  for (const seq of await listDavisSequences(root!)) {
    const source = await openImageDirectory(seq.framesDir);
    const session = new VideoSession(model, source);
    let sj = 0,
      sf = 0,
      sc = 0,
      k = 0;
    for (let t = 1; t < seq.maskFiles.length; t += step) {
      await session.reset();
      const prev = await readGroundTruth(seq.maskFiles[t - 1]!);
      const gt = await readGroundTruth(seq.maskFiles[t]!);
      await session.addMask(t - 1, 1, prev);
      for await (const r of session.propagate({ startFrame: t - 1, direction: 'forward', maxFrames: 1 })) {
        if (r.frame !== t) continue;
        const pred = decodeRle(r.objects[0]!.rle);
        sj += jaccard(pred, gt);
        sf += boundaryF(pred, gt);
        sc += jaccard(prev, gt);
        k++;
      }
    }
    console.log(
      `${seq.name.padEnd(16)} step J ${(sj / k).toFixed(3)} F ${(sf / k).toFixed(3)} copy J ${(sc / k).toFixed(3)} n ${k}`,
    );
    all += (sj + sf) / 2 / k;
    allCopy += sc / k;
    n++;
    await session.close();
    await source.close();
  }
  console.log(`one-step J&F ${(all / n).toFixed(4)} copy J ${(allCopy / n).toFixed(4)}`);
  await model.release();
}
void main();
