/** Dev only: tsx scripts/dev/dump.ts <davis-dir> <seq> <outdir> [frames...] — per-frame J/F and overlay PNGs. */
import sharp from 'sharp';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SamModel, VideoSession } from '@masklet/engine';
import { listDavisSequences, readGroundTruth } from '@masklet/evaluation';
import { boundaryF, decodeRle, jaccard, farthestInteriorPoint } from '@masklet/masks';
import { openImageDirectory } from '@masklet/video';
import { ensureModel } from '../../models/generator/ensure-model';

async function main() {
  const [root, name, out, ...rest] = process.argv.slice(2);
  const click = rest.includes('click');
  const want = new Set(rest.filter((r) => r !== 'click').map(Number));
  mkdirSync(out!, { recursive: true });
  const model = await SamModel.load(process.env.MODEL ?? (await ensureModel('reference')), {});
  const seq = (await listDavisSequences(root!)).find((s) => s.name === name)!;
  const frames = readdirSync(seq.framesDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  const source = await openImageDirectory(seq.framesDir);
  const session = new VideoSession(model, source);
  const first = await readGroundTruth(seq.maskFiles[0]!);
  if (click) {
    const p = farthestInteriorPoint(first)!;
    await session.addPoints(0, 1, [{ x: p.x, y: p.y, label: 1 }]);
  } else await session.addMask(0, 1, first);
  const line: string[] = [];
  for await (const r of session.propagate({ startFrame: 0, direction: 'forward' })) {
    const file = seq.maskFiles[r.frame];
    if (!file) break;
    const gt = await readGroundTruth(file);
    const pred = decodeRle(r.objects[0]!.rle);
    const J = jaccard(pred, gt);
    line.push(`${r.frame}:${J.toFixed(2)}/${boundaryF(pred, gt).toFixed(2)}`);
    if (want.has(r.frame) || want.has(-1)) {
      const { data, info } = await sharp(join(seq.framesDir, frames[r.frame]!))
        .raw()
        .toBuffer({ resolveWithObject: true });
      const buf = Buffer.alloc(gt.width * gt.height * 3);
      for (let i = 0; i < gt.width * gt.height; i++) {
        const p = pred.data[i]!,
          t = gt.data[i]!;
        for (let c = 0; c < 3; c++) {
          let v = data[i * info.channels + c]! * 0.6;
          if (p && t) v = c === 2 ? v : v * 0.5 + 100;
          else if (p) v = c === 0 ? 255 : v * 0.4;
          else if (t) v = c === 1 ? 255 : v * 0.4;
          buf[i * 3 + c] = Math.min(255, v);
        }
      }
      await sharp(buf, { raw: { width: gt.width, height: gt.height, channels: 3 } })
        .png()
        .toFile(join(out!, `${name}-${String(r.frame).padStart(3, '0')}.png`));
    }
  }
  console.log(line.join(' '));
  await session.close();
  await source.close();
  await model.release();
}
void main();
