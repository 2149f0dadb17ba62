// Per-object IoU of clicked synthetic clips (the e2e tests' scenes), through the mp4 like the platform.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SamModel, VideoSession } from '@masklet/engine';
import { decodeRle, jaccard, readMaskPng } from '@masklet/masks';
import { openVideoFile } from '@masklet/video';
import { testClip } from '../../test/worker/support';
import { ensureModel } from '../../models/generator/ensure-model';

const CASES: [number, number, string][] = [
  [48, 2, 'e2e-submit'],
  [96, 2, 'e2e-crash'],
  [8, 1, 'e2e-batch'],
];

async function main(): Promise<void> {
  const model = await SamModel.load(await ensureModel('reference'));
  for (const [frames, objects, seed] of CASES) {
    const clip = await testClip(frames, objects, seed);
    const source = await openVideoFile(clip.mp4Path!);
    const session = new VideoSession(model, source);
    for (const o of clip.meta.objects) {
      const f = o.clicks.findIndex((c) => c !== null);
      const [x, y] = o.clicks[f]!;
      await session.addPoints(f, o.id, [{ x, y, label: 1 }]);
    }
    const sums = new Map<number, number[]>();
    for await (const r of session.propagate({ startFrame: 0, direction: 'forward' })) {
      for (const obj of r.objects) {
        const png = readMaskPng(
          await readFile(join(clip.masksDir, String(obj.objectId), `${String(r.frame).padStart(5, '0')}.png`)),
        );
        const pred = decodeRle(obj.rle);
        const truth = { width: pred.width, height: pred.height, data: png.labels };
        const list = sums.get(obj.objectId) ?? [];
        list.push(jaccard(pred, truth));
        if (process.env.TRACE && seed === process.env.TRACE && r.frame < 12) {
          const c = (d: Uint8Array) => {
            let n = 0,
              sx = 0,
              sy = 0;
            for (let i = 0; i < d.length; i++)
              if (d[i]) {
                n++;
                sx += i % pred.width;
                sy += Math.floor(i / pred.width);
              }
            return `${n}@(${(sx / Math.max(n, 1)).toFixed(0)},${(sy / Math.max(n, 1)).toFixed(0)})`;
          };
          console.log('f', r.frame, 'obj', obj.objectId, 'pred', c(pred.data), 'gt', c(png.labels));
        }
        sums.set(obj.objectId, list);
      }
    }
    for (const [id, l] of sums) {
      const mean = l.reduce((a, b) => a + b, 0) / l.length;
      if (process.env.SERIES) console.log(l.map((v) => v.toFixed(2)).join(' '));
      console.log(
        seed,
        'object',
        id,
        'frame0',
        l[0]!.toFixed(3),
        'mean',
        mean.toFixed(3),
        'min',
        Math.min(...l).toFixed(3),
      );
    }
    await session.close();
    await source.close();
  }
  await model.release();
}
void main();
