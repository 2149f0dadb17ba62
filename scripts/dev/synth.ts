// Dev only: tsx scripts/dev/synth.ts — per-object IoU of the e2e tests' clicked synthetic clips, read through
// their mp4 as the platform reads them. SERIES=1 prints every frame's IoU, TRACE=<seed> each frame's area and centroid;
// PROMPT=mask prompts each object with its exact mask instead (ERODE=<px> erodes it first).
import { SamModel, VideoSession } from '@masklet/engine';
import { decodeRle, jaccard } from '@masklet/masks';
import { openVideoFile } from '@masklet/video';
import { testClip, truthMask } from '../../test/worker/support';
import { ensureModel } from '../../models/generator/ensure-model';
import { describeMask } from './describe-mask';

const CASES: [number, number, string][] = [
  [48, 2, 'e2e-submit'],
  [96, 2, 'e2e-crash'],
  [8, 1, 'e2e-batch'],
];

/** A mask eroded by r pixels (square structuring element): pixels whose whole (2r+1)^2 window is set. */
function erode(mask: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = r; y < h - r; y++)
    for (let x = r; x < w - r; x++) {
      let all = 1;
      for (let dy = -r; dy <= r && all; dy++)
        for (let dx = -r; dx <= r && all; dx++) all = mask[(y + dy) * w + x + dx]!;
      out[y * w + x] = all ? 1 : 0;
    }
  return out;
}

async function main(): Promise<void> {
  const model = await SamModel.load(await ensureModel('reference'));
  for (const [frames, objects, seed] of CASES) {
    const clip = await testClip(frames, objects, seed);
    const source = await openVideoFile(clip.mp4Path!);
    const session = new VideoSession(model, source);
    for (const o of clip.meta.objects) {
      const f = o.clicks.findIndex((c) => c !== null);
      if (process.env.PROMPT === 'mask') {
        const { width, height } = clip.meta;
        const data = erode(await truthMask(clip, o.id, f), width, height, Number(process.env.ERODE ?? 0));
        await session.addMask(f, o.id, { width, height, data });
        continue;
      }
      const [x, y] = o.clicks[f]!;
      await session.addPoints(f, o.id, [{ x, y, label: 1 }]);
    }
    const sums = new Map<number, number[]>();
    for await (const r of session.propagate({ startFrame: 0, direction: 'forward' })) {
      for (const obj of r.objects) {
        const pred = decodeRle(obj.rle);
        const truth = { width: pred.width, height: pred.height, data: await truthMask(clip, obj.objectId, r.frame) };
        const list = sums.get(obj.objectId) ?? [];
        list.push(jaccard(pred, truth));
        if (process.env.TRACE === seed)
          console.log(
            `frame ${r.frame} object ${obj.objectId} pred ${describeMask(pred)} truth ${describeMask(truth)}`,
          );
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
