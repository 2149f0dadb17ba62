/**
 * Probe (not a test): track a red disc moving `speed` px / frame past a blue distractor for 30
 * frames with the reference model and print per-frame IoU / object score.
 *   tsx models/generator/testing/probe-tracking.ts [speed=8] [occlude]
 */
import { loadManifest } from '../../../libs/engine/src/manifest/load-manifest';
import { ensureModel } from '../ensure-model';
import { REF } from '../reference/config';
import { MiniTracker } from './mini-tracker';
import { data, openRoles } from './ort-run';
import { Disc, discMask, iouOfLogits, makeScene, normalise } from './scene';

async function main() {
  const loaded = await loadManifest(await ensureModel('reference'));
  const sessions = await openRoles(loaded.files);
  const consts = await sessions.constants!.run({});
  const d = { S: 512, C: 32, Cm: 16, H: 32, Hm: 16, L: 128, numMaskmem: 7 };
  const tr = new MiniTracker(sessions, d, {
    tpos: data(consts.maskmemTposEnc),
    noMem: data(consts.noMemEmbed),
    noObjPtr: data(consts.noObjPtr),
  });
  const speed = Number(process.argv[2] ?? 8);
  const frames = 30;
  const target = (f: number): Disc => ({ cx: 120 + speed * f, cy: 200 + 3 * f, r: 45, rgb: [0.9, 0.25, 0.2] });
  const distractor = (f: number): Disc => ({ cx: 400 - 4 * f, cy: 380, r: 40, rgb: [0.2, 0.5, 0.9] });
  const occluder = (f: number): Disc | null =>
    process.argv[3] === 'occlude' && f >= 12 && f < 16
      ? { cx: target(f).cx, cy: target(f).cy, r: 70, rgb: [0.3, 0.8, 0.3] }
      : null;
  const line: string[] = [];
  for (let f = 0; f < frames; f++) {
    const discs = [distractor(f), target(f)];
    const occ = occluder(f);
    if (occ) discs.push(occ);
    const img = normalise(makeScene(512, discs, 100 + f), REF.mean, REF.std);
    const t = target(f);
    const step = f === 0 ? await tr.prompt(0, img, { points: [[t.cx, t.cy]], labels: [1] }) : await tr.track(f, img);
    const iou = occ ? NaN : iouOfLogits(step.logits, 0, discMask(t, 128, 512));
    line.push(`${f}:${iou.toFixed(2)}/${step.score.toFixed(1)}`);
  }
  console.log(line.join(' '));
}
void main();
