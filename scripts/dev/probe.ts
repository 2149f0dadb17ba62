/** Dev only: tsx scripts/dev/probe.ts <davis-dir> <seq> <frameA> <frameB> — memory of A (GT mask) tracked into B; prints stats, writes PNGs. */
import sharp from 'sharp';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { DIMS, openReference } from '../../models/generator/testing/reference-fixture';
import { attend, decode, encodeImage, encodeMemory, memoryTokens } from '../../models/generator/testing/pipeline';
import { data } from '../../models/generator/testing/ort-run';
import { REF, K, FEAT } from '../../models/generator/reference/config';

async function load(file: string): Promise<Float32Array> {
  const S = REF.imageSize;
  const { data: px } = await sharp(file)
    .resize(S, S, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = new Float32Array(3 * S * S);
  for (let i = 0; i < S * S; i++)
    for (let c = 0; c < 3; c++) out[c * S * S + i] = (px[i * 3 + c]! / 255 - REF.mean[c]!) / REF.std[c]!;
  return out;
}
async function maskL(file: string): Promise<Float32Array> {
  const L = REF.lowResMaskSize;
  const { data: px } = await sharp(file)
    .greyscale()
    .resize(L, L, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(px, (v) => (v > 127 ? 10 : -10));
}
async function png(map: Float32Array, n: number, file: string, lo: number, hi: number) {
  const buf = Buffer.from(
    Array.from(map.subarray(0, n * n), (v) => Math.max(0, Math.min(255, ((v - lo) / (hi - lo)) * 255))),
  );
  await sharp(buf, { raw: { width: n, height: n, channels: 1 } })
    .resize(256, 256, { kernel: 'nearest' })
    .png()
    .toFile(file);
}

async function main() {
  const [root, seq, a, b] = process.argv.slice(2);
  const fx = await openReference();
  const dir = join(root!, seq!);
  const frames = readdirSync(join(dir, 'frames')).sort();
  const masks = readdirSync(join(dir, 'masks')).sort();
  const encA = await encodeImage(fx.sessions, await load(join(dir, 'frames', frames[+a!]!)), DIMS);
  const logitsA = await maskL(join(dir, 'masks', masks[+a!]!));
  const mem = await encodeMemory(fx.sessions, encA, logitsA, Float32Array.of(10), true, DIMS);
  const row = fx.consts.tpos.subarray((DIMS.numMaskmem - 1) * DIMS.Cm, DIMS.numMaskmem * DIMS.Cm);
  const m = memoryTokens(mem.memoryFeatures!, mem.memoryPosEnc!, row, DIMS);
  const mf = data(mem.memoryFeatures);
  const fgH = mf.subarray(16 * 256, 16 * 256 + K),
    bgH = mf.subarray(17 * 256, 17 * 256 + K);
  console.log(
    'fg mass',
    fgH.reduce((s, v) => s + v, 0).toFixed(1),
    'bg mass',
    bgH.reduce((s, v) => s + v, 0).toFixed(1),
  );
  const encB = await encodeImage(fx.sessions, await load(join(dir, 'frames', frames[+b!]!)), DIMS);
  const cond = await attend(
    fx.sessions,
    encB,
    m.tokens,
    m.posTokens,
    new Float32Array(0),
    new Float32Array(0),
    1,
    DIMS,
  );
  const cf = data(cond);
  const llr = cf.subarray(FEAT.llr * 1024, FEAT.llr * 1024 + K);
  console.log('fg', Array.from(fgH, (v) => v.toFixed(0)).join(' '));
  console.log('bg', Array.from(bgH, (v) => v.toFixed(0)).join(' '));
  console.log('llr', Array.from(llr, (v) => v.toFixed(1)).join(' '));
  const prior = new Float32Array(64 * 64);
  for (let c = 0; c < 4; c++)
    for (let i = 0; i < 32; i++)
      for (let j = 0; j < 32; j++) prior[(2 * i + (c >> 1)) * 64 + 2 * j + (c & 1)] = cf[c * 1024 + i * 32 + j]!;
  await png(prior, 64, '/tmp/viz/probe-prior.png', -1, 1);
  const out = await decode(fx.sessions, encB, cond, [{ points: [[0, 0]], labels: [-1] }], DIMS);
  const L = REF.lowResMaskSize;
  await png(data(out.masks), L, '/tmp/viz/probe-logit.png', -10, 10);
  await png(data(encB.highRes0).subarray(0), L, '/tmp/viz/probe-L.png', 0, 1);
  console.log(
    'iou',
    Array.from(data(out.iouPredictions))
      .map((v) => v.toFixed(2))
      .join(' '),
    'score',
    data(out.objectScoreLogits)[0],
  );
  await fx.close();
}
void main();
