/* Ad-hoc probe of the reference model on synthetic scenes (not a test). */
import { loadManifest } from '../../../libs/engine/src/manifest/load-manifest';
import { ensureModel } from '../ensure-model';
import { REF } from '../reference/config';
import { data, openRoles } from './ort-run';
import { addNoMem, attend, decode, encodeImage, encodeMemory, memoryTokens, ModelDims } from './pipeline';
import { discMask, iouOfLogits, makeScene, normalise } from './scene';

async function main() {
  const loaded = await loadManifest(await ensureModel('reference'));
  const sessions = await openRoles(loaded.files);
  const d: ModelDims = { S: 512, C: 32, Cm: 16, H: 32, Hm: 16, L: 128, numMaskmem: 7 };
  const consts = await sessions.constants!.run({});
  const noMem = data(consts.noMemEmbed);
  const tpos = data(consts.maskmemTposEnc);
  const discA = { cx: 200, cy: 260, r: 60, rgb: [0.9, 0.2, 0.2] as [number, number, number] };
  const discB = { ...discA, cx: 212, cy: 266 };
  const encA = await encodeImage(sessions, normalise(makeScene(512, [discA]), REF.mean, REF.std), d);
  const encB = await encodeImage(sessions, normalise(makeScene(512, [discB]), REF.mean, REF.std), d);
  const maskA = discMask(discA, 128, 512);
  const maskB = discMask(discB, 128, 512);
  const out = await decode(sessions, encA, addNoMem(encA.visionFeatures, noMem, 1, d), [{ points: [[210, 250]], labels: [1] }], d);
  const masks = data(out.masks);
  const iou = data(out.iouPredictions);
  console.log('click: iou', [0, 1, 2, 3].map((k) => iouOfLogits(masks, k * 128 * 128, maskA).toFixed(3)), 'pred', Array.from(iou).map((v) => v.toFixed(3)), 'score', data(out.objectScoreLogits)[0]);
  console.log(compare(masks, maskA, 128, 1).split('\n').slice(45, 86).map(r => r.slice(28, 72)).join('\n'));
  console.log('ptrs', Array.from(data(out.objPtrs).subarray(0, 12)).map((v) => v.toFixed(3)).join(' '));
  // memory from A's true mask
  const logitsA = Float32Array.from(maskA, (m) => (m ? 10 : -10));
  const mem = await encodeMemory(sessions, encA, logitsA, Float32Array.of(10), true, d);
  const { tokens, posTokens } = memoryTokens(mem.memoryFeatures!, mem.memoryPosEnc!, tpos.subarray(6 * 16, 7 * 16), d);
  const cond = await attend(sessions, encB, tokens, posTokens, new Float32Array(0), new Float32Array(0), 1, d);
  const cf = data(cond);
  const p = cf.subarray(4 * 1024, 5 * 1024);
  let rowsOut = '';
  for (let i = 0; i < 32; i += 2) { let r = ''; for (let j = 0; j < 32; j++) r += p[i * 32 + j]! > 0.5 ? '#' : p[i * 32 + j]! > 0.1 ? '+' : '.'; rowsOut += r + '\n'; }
  console.log(rowsOut);
  const outB = await decode(sessions, encB, cond, [{ points: [[0, 0]], labels: [-1] }], d);
  const mB = data(outB.masks);
  console.log('track: iou', [0, 1, 2, 3].map((k) => iouOfLogits(mB, k * 128 * 128, maskB).toFixed(3)), 'pred', Array.from(data(outB.iouPredictions)).map((v) => v.toFixed(3)), 'score', data(outB.objectScoreLogits)[0]);
  const encC = await encodeImage(sessions, normalise(makeScene(512, []), REF.mean, REF.std), d);
  const condC = await attend(sessions, encC, tokens, posTokens, new Float32Array(0), new Float32Array(0), 1, d);
  const outC = await decode(sessions, encC, condC, [{ points: [[0, 0]], labels: [-1] }], d);
  console.log('absent: score', data(outC.objectScoreLogits)[0]);
  console.log(compare(data(outC.masks), new Uint8Array(16384), 128, 2));
}
main();
export function show(map: Float32Array, n: number, step: number, thr = [0.5, 0.1]): string {
  let s = '';
  for (let i = 0; i < n; i += step) {
    let r = '';
    for (let j = 0; j < n; j += step) { const v = map[i * n + j]!; r += v > thr[0]! ? '#' : v > thr[1]! ? '+' : '.'; }
    s += r + '\n';
  }
  return s;
}
export function compare(logits: Float32Array, truth: Uint8Array, n: number, step: number): string {
  let s = '';
  for (let i = 0; i < n; i += step) {
    let r = '';
    for (let j = 0; j < n; j += step) {
      const a = logits[i * n + j]! > 0; const b = truth[i * n + j] === 1;
      r += a && b ? '#' : b ? 'o' : a ? '*' : '.';
    }
    s += r + '\n';
  }
  return s;
}
