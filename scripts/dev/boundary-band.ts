/**
 * Dev only: tsx scripts/dev/boundary-band.ts <davis-dir> [band-in-cells]  (MODEL= selects a model)
 * How much of the tracker's error lies near its own boundary: every mask-prompted sequence is tracked,
 * then each frame's pixels within `band` cells of the L x L grid (default 1) of the predicted boundary
 * are set to the truth. Prints J / F before and after per sequence and the J&F means: an upper bound
 * on what any boundary refinement of that width could gain.
 */
import { SamModel, VideoSession } from '@masklet/engine';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { BinaryMask, boundaryF, decodeRle, jaccard, meanSequenceScores } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

/** Separable box dilation (or erosion) by rx x ry pixels: L x L cells are not square in the video, so not `dilateDisk`. */
function boxMorph(src: Uint8Array, W: number, H: number, rx: number, ry: number, dilate: boolean): Uint8Array {
  const pass = (from: Uint8Array, r: number, horizontal: boolean) => {
    const to = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let v = dilate ? 0 : 1;
        for (let d = -r; d <= r; d++) {
          const xx = horizontal ? Math.min(W - 1, Math.max(0, x + d)) : x;
          const yy = horizontal ? y : Math.min(H - 1, Math.max(0, y + d));
          const s = from[yy * W + xx]!;
          v = dilate ? v | s : v & s;
        }
        to[y * W + x] = v;
      }
    }
    return to;
  };
  return pass(pass(src, rx, true), ry, false);
}

function withBandFromTruth(pred: BinaryMask, truth: BinaryMask, L: number, band: number): BinaryMask {
  const { width: W, height: H } = truth;
  const rx = Math.round((W / L) * band);
  const ry = Math.round((H / L) * band);
  const outer = boxMorph(pred.data, W, H, rx, ry, true);
  const inner = boxMorph(pred.data, W, H, rx, ry, false);
  const data = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) data[i] = outer[i] && !inner[i] ? truth.data[i]! : pred.data[i]!;
  return { width: W, height: H, data };
}

async function main() {
  const [root, bandArg] = process.argv.slice(2);
  if (!root) throw new Error('usage: tsx scripts/dev/boundary-band.ts <davis-dir> [band-in-cells]');
  const band = Number(bandArg ?? 1);
  const model = await SamModel.load(process.env.MODEL ?? (await ensureModel('reference')), {});
  const L = model.manifest.lowResMaskSize;
  const sums = { before: 0, after: 0 };
  const sequences = await listDavisSequences(root);
  for (const seq of sequences) {
    const source = await openImageDirectory(seq.framesDir);
    const session = new VideoSession(model, source);
    await session.addMask(0, 1, await readGroundTruth(seq.maskFiles[0]!));
    const before: { J: number; F: number }[] = [];
    const after: { J: number; F: number }[] = [];
    for await (const r of session.propagate({ startFrame: 0, direction: 'forward' })) {
      const file = seq.maskFiles[r.frame];
      if (!file) break;
      const truth = await readGroundTruth(file);
      const pred = decodeRle(r.objects[0]!.rle);
      const fixed = withBandFromTruth(pred, truth, L, band);
      before.push({ J: jaccard(pred, truth), F: boundaryF(pred, truth) });
      after.push({ J: jaccard(fixed, truth), F: boundaryF(fixed, truth) });
    }
    const b = meanSequenceScores(before);
    const a = meanSequenceScores(after);
    console.log(
      `${seq.name.padEnd(20)} J ${b.J.toFixed(3)} F ${b.F.toFixed(3)}  band from truth: J ${a.J.toFixed(3)} F ${a.F.toFixed(3)}`,
    );
    sums.before += (b.J + b.F) / 2;
    sums.after += (a.J + a.F) / 2;
    await session.close();
    await source.close();
  }
  const n = sequences.length;
  console.log(`band ${band} cells  J&F ${(sums.before / n).toFixed(4)} -> ${(sums.after / n).toFixed(4)}`);
  await model.release();
}

void main();
