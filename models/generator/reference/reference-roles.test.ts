/** The reference model honours the module contract: manifest, I/O names, shapes, dynamic axes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { ROLE_IO, RoleName } from '../../../libs/engine/src/manifest/manifest-schema';
import { sinePositionalEncoding } from '../../../libs/engine/src/numerics/sine-pe';
import { Fixture, DIMS, openReference } from '../testing/reference-fixture';
import { data, f32, zeros } from '../testing/ort-run';
import { REF } from './config';

let fx: Fixture;
before(async () => {
  fx = await openReference();
});
after(async () => fx?.close());

function randomish(n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * scale);
}

function assertFinite(t: ort.Tensor | undefined, name: string): void {
  assert.ok(t, `missing ${name}`);
  for (const v of data(t)) assert.ok(Number.isFinite(v), `${name} has a non-finite value`);
}

test('the manifest validates and declares the reference sizes', () => {
  const m = fx.loaded.manifest;
  assert.equal(m.family, 'reference');
  assert.equal(m.imageSize, 512);
  assert.deepEqual(m.featureSize, [32, 32]);
  assert.deepEqual(m.memoryFeatureSize, [16, 16]);
  assert.equal(m.hiddenDim, REF.hiddenDim);
  assert.equal(m.memoryDim, REF.memoryDim);
  assert.equal(m.hiddenDim % m.memoryDim, 0, 'C is a multiple of Cm');
  assert.deepEqual(m.highRes, [
    { channels: REF.highRes[0].channels, stride: 4 },
    { channels: REF.highRes[1].channels, stride: 8 },
  ]);
  assert.equal(m.lowResMaskSize, 128);
  assert.equal(m.numMaskmem, 7);
  assert.equal(m.maxObjPtrsInEncoder, 16);
  assert.equal(m.tracking.multimaskOutputForTracking, true);
});

test('every graph uses exactly the logical input and output names', () => {
  for (const [role, io] of Object.entries(ROLE_IO) as [RoleName, (typeof ROLE_IO)[RoleName]][]) {
    const s = fx.sessions[role];
    assert.ok(s, `role ${role} missing`);
    assert.deepEqual([...s.inputNames].sort(), [...io.inputs].sort(), `${role} inputs`);
    assert.deepEqual([...s.outputNames].sort(), [...io.outputs].sort(), `${role} outputs`);
  }
});

test('imageEncoder and constants produce the contract shapes', async () => {
  const { S, C, H, Cm, numMaskmem } = DIMS;
  const out = await fx.sessions.imageEncoder!.run({ image: f32(randomish(3 * S * S), [1, 3, S, S]) });
  assert.deepEqual(out.visionFeatures!.dims, [1, C, H, H]);
  assert.deepEqual(out.visionPosEnc!.dims, [1, C, H, H]);
  assert.deepEqual(out.highRes0!.dims, [1, REF.highRes[0].channels, 4 * H, 4 * H]);
  assert.deepEqual(out.highRes1!.dims, [1, REF.highRes[1].channels, 2 * H, 2 * H]);
  for (const [k, v] of Object.entries(out)) assertFinite(v, k);
  const c = await fx.sessions.constants!.run({});
  assert.deepEqual(c.maskmemTposEnc!.dims, [numMaskmem, Cm]);
  assert.deepEqual(c.noMemEmbed!.dims, [C]);
  assert.deepEqual(c.noObjPtr!.dims, [C]);
});

test('temporal encodings: recent and conditioning memories and recent pointers weigh more', async () => {
  const { Cm, C, numMaskmem } = DIMS;
  const bias = (row: number) => fx.consts.tpos[row * Cm + 2]!;
  for (let r = 1; r < numMaskmem - 1; r++) assert.ok(bias(r) < bias(r - 1), `row ${r} below row ${r - 1}`);
  assert.ok(bias(numMaskmem - 1) > bias(2), 'conditioning frames weigh more than older recent frames');
  const offsets = [0, 1, 4, 15];
  const sine = new Float32Array(offsets.length * C);
  offsets.forEach((o, i) => sine.set(sinePositionalEncoding(o / 15, C), i * C));
  const logW = data((await fx.sessions.objPtrTposProj!.run({ sinePe: f32(sine, [offsets.length, C]) })).posEnc).filter(
    (_, i) => i % Cm === 0,
  );
  assert.ok(Math.abs(logW[0]!) < 1e-5, 'offset 0 has log-weight 0');
  for (let i = 1; i < offsets.length; i++)
    assert.ok(logW[i]! < logW[i - 1]!, `pointer ${offsets[i]} frames back weighs less`);
});

test('memoryAttention runs batched with Np > 0 and with Np = 0', async () => {
  const { S, C, H, Cm, Hm } = DIMS;
  const enc = await fx.sessions.imageEncoder!.run({ image: f32(randomish(3 * S * S), [1, 3, S, S]) });
  const B = 3;
  const Nm = 3 * Hm * Hm;
  for (const Np of [5, 0]) {
    const out = await fx.sessions.memoryAttention!.run({
      currFeatures: enc.visionFeatures!,
      currPosEnc: enc.visionPosEnc!,
      memory: f32(randomish(B * Nm * Cm, 0.5).map(Math.abs), [B, Nm, Cm]),
      memoryPosEnc: f32(randomish(B * Nm * Cm, 0.5), [B, Nm, Cm]),
      objPtrs: f32(randomish(B * Np * C, 0.5), [B, Np, C]),
      objPtrPosEnc: f32(randomish(B * Np * Cm, 0.5), [B, Np, Cm]),
    });
    assert.deepEqual(out.conditionedFeatures!.dims, [B, C, H, H]);
    assertFinite(out.conditionedFeatures, `conditionedFeatures (Np=${Np})`);
  }
});

test('maskDecoder, memoryEncoder, maskPrompt and objPtrTposProj run with dynamic B / P', async () => {
  const { S, C, H, Cm, Hm, L } = DIMS;
  const enc = await fx.sessions.imageEncoder!.run({ image: f32(randomish(3 * S * S), [1, 3, S, S]) });
  const B = 2;
  const P = 3;
  const dec = await fx.sessions.maskDecoder!.run({
    features: f32(randomish(B * C * H * H, 0.5), [B, C, H, H]),
    highRes0: enc.highRes0!,
    highRes1: enc.highRes1!,
    pointCoords: f32([100, 120, 300, 310, 0, 0, 50, 60, 400, 420, 200, 220], [B, P, 2]),
    pointLabels: f32([1, 0, -1, 2, 3, -1], [B, P]),
    maskInput: zeros([B, 1, L, L]),
    hasMaskInput: f32([0, 1], [B]),
  });
  assert.deepEqual(dec.masks!.dims, [B, 4, L, L]);
  assert.deepEqual(dec.iouPredictions!.dims, [B, 4]);
  assert.deepEqual(dec.objPtrs!.dims, [B, 4, C]);
  assert.deepEqual(dec.objectScoreLogits!.dims, [B, 1]);
  for (const [k, v] of Object.entries(dec)) assertFinite(v, k);

  const mem = await fx.sessions.memoryEncoder!.run({
    visionFeatures: enc.visionFeatures!,
    maskLogits: f32(data(dec.masks).slice(0, B * L * L), [B, 1, L, L]),
    objectScoreLogits: f32([1, -1], [B, 1]),
    binarize: f32([1, 0], [B]),
  });
  assert.deepEqual(mem.memoryFeatures!.dims, [B, Cm, Hm, Hm]);
  assert.deepEqual(mem.memoryPosEnc!.dims, [1, Cm, Hm, Hm]);
  assertFinite(mem.memoryFeatures, 'memoryFeatures');

  const mask = new Float32Array(B * S * S).map((_, i) => (i % S < S / 2 ? 1 : 0));
  const mp = await fx.sessions.maskPrompt!.run({ mask: f32(mask, [B, 1, S, S]) });
  assert.deepEqual(mp.lowResLogits!.dims, [B, 1, L, L]);
  assert.deepEqual(mp.maskForPointer!.dims, [B, 1, L, L]);
  const lr = data(mp.lowResLogits);
  assert.ok(lr[10 * L + 5]! > 5 && lr[10 * L + L - 5]! < -5, 'left half foreground, right half background');

  const proj = await fx.sessions.objPtrTposProj!.run({ sinePe: f32(randomish(4 * C), [4, C]) });
  assert.deepEqual(proj.posEnc!.dims, [4, Cm]);
});
