/** The SAM 2.1-tiny-shaped graphs run end to end with the exact contract shapes; outputs are finite. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { loadManifest, LoadedManifest } from '../../../libs/engine/src/manifest/load-manifest';
import { ROLE_IO, RoleName } from '../../../libs/engine/src/manifest/manifest-schema';
import { ensureModel } from '../ensure-model';
import { closeRoles, data, f32, openRoles } from '../testing/ort-run';
import { TINY } from './config';
import { buildMemoryAttention } from './memory-attention';

let loaded: LoadedManifest;
let sessions: Record<string, ort.InferenceSession>;
let encoded: Record<string, ort.Tensor>;

const B = 2;
const S = 1024;
const C = 256;
const Cm = 64;
const H = 64;
const L = 256;

function wave(n: number, scale = 1, phase = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase) * scale);
}

function assertFinite(t: ort.Tensor | undefined, name: string): void {
  assert.ok(t, `missing ${name}`);
  const d = data(t);
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) assert.fail(`${name}[${i}] = ${d[i]}`);
}

before(async () => {
  loaded = await loadManifest(await ensureModel('sam21-tiny-shaped'));
  sessions = await openRoles(loaded.files);
  encoded = await sessions.imageEncoder!.run({ image: f32(wave(3 * S * S, 1.5), [1, 3, S, S]) });
});
after(async () => sessions && closeRoles(sessions));

test('the manifest declares SAM 2.1-tiny sizes and every graph uses the logical names', () => {
  const m = loaded.manifest;
  assert.equal(m.family, 'shape-test');
  assert.equal(m.imageSize, S);
  assert.deepEqual(m.featureSize, [H, H]);
  assert.deepEqual(m.memoryFeatureSize, [64, 64]);
  assert.equal(m.hiddenDim, C);
  assert.equal(m.memoryDim, Cm);
  assert.deepEqual(m.highRes, [
    { channels: 32, stride: 4 },
    { channels: 64, stride: 8 },
  ]);
  assert.equal(m.lowResMaskSize, L);
  for (const [role, io] of Object.entries(ROLE_IO) as [RoleName, (typeof ROLE_IO)[RoleName]][]) {
    assert.deepEqual([...sessions[role]!.inputNames].sort(), [...io.inputs].sort(), `${role} inputs`);
    assert.deepEqual([...sessions[role]!.outputNames].sort(), [...io.outputs].sort(), `${role} outputs`);
  }
});

test('imageEncoder and constants', async () => {
  assert.deepEqual(encoded.visionFeatures!.dims, [1, C, H, H]);
  assert.deepEqual(encoded.visionPosEnc!.dims, [1, C, H, H]);
  assert.deepEqual(encoded.highRes0!.dims, [1, 32, 256, 256]);
  assert.deepEqual(encoded.highRes1!.dims, [1, 64, 128, 128]);
  for (const [k, v] of Object.entries(encoded)) assertFinite(v, k);
  const c = await sessions.constants!.run({});
  assert.deepEqual(c.maskmemTposEnc!.dims, [7, Cm]);
  assert.deepEqual(c.noMemEmbed!.dims, [C]);
  assert.deepEqual(c.noObjPtr!.dims, [C]);
});

test('memoryAttention with two memory frames, Np = 3 and Np = 0', async () => {
  const Nm = 2 * 64 * 64;
  for (const Np of [3, 0]) {
    const out = await sessions.memoryAttention!.run({
      currFeatures: encoded.visionFeatures!,
      currPosEnc: encoded.visionPosEnc!,
      memory: f32(wave(B * Nm * Cm, 1, 1), [B, Nm, Cm]),
      memoryPosEnc: f32(wave(B * Nm * Cm, 1, 2), [B, Nm, Cm]),
      objPtrs: f32(wave(B * Np * C, 1, 3), [B, Np, C]),
      objPtrPosEnc: f32(wave(B * Np * Cm, 1, 4), [B, Np, Cm]),
    });
    assert.deepEqual(out.conditionedFeatures!.dims, [B, C, H, H]);
    assertFinite(out.conditionedFeatures, `conditionedFeatures (Np=${Np})`);
  }
});

test('memoryAttention attends its queries in chunks and equals the unchunked graph', async () => {
  assert.equal(loaded.manifest.memoryAttentionQueryChunk, TINY.memoryAttentionQueryChunk);
  assert.ok(TINY.memoryAttentionQueryChunk < H * H, 'the shipped graph is chunked');
  const whole = await ort.InferenceSession.create(buildMemoryAttention(H * H).toModel({ producer: 'test' }), {
    intraOpNumThreads: 2,
  });
  try {
    const Nm = 2 * 64 * 64;
    const Np = 3;
    const feeds = {
      currFeatures: encoded.visionFeatures!,
      currPosEnc: encoded.visionPosEnc!,
      memory: f32(wave(B * Nm * Cm, 1, 1), [B, Nm, Cm]),
      memoryPosEnc: f32(wave(B * Nm * Cm, 1, 2), [B, Nm, Cm]),
      objPtrs: f32(wave(B * Np * C, 1, 3), [B, Np, C]),
      objPtrPosEnc: f32(wave(B * Np * Cm, 1, 4), [B, Np, Cm]),
    };
    const a = data((await sessions.memoryAttention!.run(feeds)).conditionedFeatures);
    const b = data((await whole.run(feeds)).conditionedFeatures);
    assert.equal(a.length, b.length);
    let maxDiff = 0;
    let maxAbs = 0;
    for (let i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
      maxAbs = Math.max(maxAbs, Math.abs(b[i]!));
    }
    // Float noise only (GEMM blocking of a different row count), relative to the outputs' scale.
    assert.ok(maxDiff <= 1e-5 * maxAbs, `max difference ${maxDiff} (largest |value| ${maxAbs})`);
  } finally {
    await whole.release();
  }
});

test('maskDecoder with points, a box, padding and a mask input', async () => {
  const P = 3;
  const out = await sessions.maskDecoder!.run({
    features: f32(wave(B * C * H * H, 1, 5), [B, C, H, H]),
    highRes0: encoded.highRes0!,
    highRes1: encoded.highRes1!,
    pointCoords: f32([100, 200, 500, 600, 0, 0, 300, 300, 700, 800, 0, 0], [B, P, 2]),
    pointLabels: f32([1, 0, -1, 2, 3, -1], [B, P]),
    maskInput: f32(wave(B * L * L, 10, 6), [B, 1, L, L]),
    hasMaskInput: f32([0, 1], [B]),
  });
  assert.deepEqual(out.masks!.dims, [B, 4, L, L]);
  assert.deepEqual(out.iouPredictions!.dims, [B, 4]);
  assert.deepEqual(out.objPtrs!.dims, [B, 4, C]);
  assert.deepEqual(out.objectScoreLogits!.dims, [B, 1]);
  for (const [k, v] of Object.entries(out)) assertFinite(v, k);
});

test('memoryEncoder, maskPrompt and objPtrTposProj', async () => {
  const mem = await sessions.memoryEncoder!.run({
    visionFeatures: encoded.visionFeatures!,
    maskLogits: f32(wave(B * L * L, 8, 7), [B, 1, L, L]),
    objectScoreLogits: f32([2, -1], [B, 1]),
    binarize: f32([1, 0], [B]),
  });
  assert.deepEqual(mem.memoryFeatures!.dims, [B, Cm, 64, 64]);
  assert.deepEqual(mem.memoryPosEnc!.dims, [1, Cm, 64, 64]);
  assertFinite(mem.memoryFeatures, 'memoryFeatures');
  const S = TINY.imageSize;
  const mp = await sessions.maskPrompt!.run({
    mask: f32(
      wave(B * S * S).map((v) => (v > 0 ? 1 : 0)),
      [B, 1, S, S],
    ),
  });
  assert.deepEqual(mp.lowResLogits!.dims, [B, 1, L, L]);
  assert.deepEqual(mp.maskForPointer!.dims, [B, 1, L, L]);
  assertFinite(mp.maskForPointer, 'maskForPointer');
  const proj = await sessions.objPtrTposProj!.run({ sinePe: f32(wave(5 * C), [5, C]) });
  assert.deepEqual(proj.posEnc!.dims, [5, Cm]);
});
