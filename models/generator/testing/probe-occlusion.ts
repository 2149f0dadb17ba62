/**
 * Probe (not a test): the engine tests' occlusion clip (libs/video synthetic scene: the object slides
 * behind a bar and out the other side) tracked with the mini tracker; prints score / area per frame
 * ('h' = hidden) and the chosen mask of the frames listed.
 *   tsx models/generator/testing/probe-occlusion.ts [frames to show, e.g. 16,26]
 */
import { normalizeSquareRgb } from '../../../libs/engine/src/preprocess/normalize';
import { syntheticFrameSource } from '@masklet/video';
import { loadManifest } from '../../../libs/engine/src/manifest/load-manifest';
import { ensureModel } from '../ensure-model';
import { REF } from '../reference/config';
import { MiniTracker } from './mini-tracker';
import { data, openRoles } from './ort-run';
function show(map: Float32Array, n: number, step: number, off = 0): string {
  let s = '';
  for (let i = 0; i < n; i += step) {
    let r = '';
    for (let j = 0; j < n; j += step) {
      const v = map[off + i * n + j]!;
      r += v > 0 ? '#' : v > -3 ? '+' : '.';
    }
    s += r + '\n';
  }
  return s;
}
async function main() {
  const source = syntheticFrameSource({
    width: 320,
    height: 192,
    seed: 11,
    frames: 40,
    scenario: { objects: 1, occlusion: { start: 14, end: 22 }, scaleChange: 0 },
  });
  const loaded = await loadManifest(await ensureModel('reference'));
  const sessions = await openRoles(loaded.files);
  const consts = await sessions.constants!.run({});
  const d = { S: 512, C: 32, Cm: 16, H: 32, Hm: 16, L: 128, numMaskmem: 7 };
  const tr = new MiniTracker(sessions, d, {
    tpos: data(consts.maskmemTposEnc),
    noMem: data(consts.noMemEmbed),
    noObjPtr: data(consts.noObjPtr),
  });
  const line: string[] = [];
  const showAt = new Set((process.argv[2] ?? '').split(',').filter(Boolean).map(Number));
  for (let f = 0; f < 40; f++) {
    const img = normalizeSquareRgb(await source.readSquare(f, 512), 512, REF.mean, REF.std);
    const t = source.truth(f)[0]!;
    const step =
      f === 0
        ? await tr.prompt(0, img, { points: [[(t.click![0] * 512) / 320, (t.click![1] * 512) / 192]], labels: [1] })
        : await tr.track(f, img);
    let area = 0;
    for (const v of step.logits) if (v > 0) area++;
    line.push(`${f}${t.visible ? '' : 'h'}:${step.score.toFixed(1)}/${area}`);
    if (showAt.has(f)) console.log(`frame ${f}\n` + show(step.logits, 128, 4));
  }
  console.log(line.join(' '));
}
void main();
