/** Dev only: per-frame score / area / IoU of the engine occlusion scenario; writes frame PNGs. */
import sharp from 'sharp';
import { VideoSession } from '@masklet/engine';
import { decodeRle } from '@masklet/masks';
import { clip, collect, iouWithTruth, referenceModel, truthMask } from '../../libs/engine/test/support';

async function main() {
  const source = clip({ frames: 40, scenario: { objects: 1, occlusion: { start: 14, end: 22 }, scaleChange: 0 } });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const results = await collect(session.propagate());
  for (const r of results) {
    const o = r.objects[0]!;
    console.log(
      r.frame,
      source.truth(r.frame)[0]!.visible ? 'vis' : 'HID',
      o.objectScore.toFixed(2),
      o.area,
      iouWithTruth(source, r.frame, o).toFixed(2),
    );
    if ([13, 15, 18, 24].includes(r.frame)) {
      const { rgb } = source.render(r.frame) as unknown as { rgb: Uint8Array };
      const m = decodeRle(o.rle);
      const w = source.info.width,
        h = source.info.height;
      const buf = Buffer.alloc(w * h * 3);
      for (let i = 0; i < w * h; i++)
        for (let c = 0; c < 3; c++) buf[i * 3 + c] = m.data[i] && c === 0 ? 255 : (rgb?.[i * 3 + c] ?? 0);
      await sharp(buf, { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toFile(`/tmp/viz/occl-${r.frame}.png`);
    }
  }
  await session.close();
}
void main();
