import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/generator/ensure-model';
import { SamModel } from '../src';
import { attentionBatchSize, batchRanges, concatBatches } from '../src/session/attention-budget';

test('the budget sizes the object batch; ranges cover every object once', () => {
  const sam2 = { queries: 4096, memoryTokens: 28_700, hiddenDim: 256 };
  assert.equal(attentionBatchSize(64, sam2), 1, 'SAM 2 size at 1024: one object per call on CPU');
  assert.equal(attentionBatchSize(2048, sam2), 2, 'unchunked: scores and softmax of 4096 x 28.7k per object');
  assert.equal(
    attentionBatchSize(2048, { ...sam2, queryChunk: 256 }),
    12,
    'chunked: 2 x 256 x 28.7k scores, keys, values, MLP',
  );
  assert.equal(
    attentionBatchSize(512, { ...sam2, memoryTokens: 4096, queryChunk: 256 }),
    8,
    'one memory frame: 67 MB per object',
  );
  assert.equal(
    attentionBatchSize(1, { ...sam2, queryChunk: 1e6 }),
    attentionBatchSize(1, sam2),
    'a chunk past Nq is no chunk',
  );
  assert.deepEqual(batchRanges(5, 2), [
    [0, 2],
    [2, 4],
    [4, 5],
  ]);
  assert.deepEqual([...concatBatches([Float32Array.of(1, 2), Float32Array.of(3)])], [1, 2, 3]);
});

/** Smooth, varied values: every object and token differs, so a mix-up between objects would show. */
function filled(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.01 + 0.005 * Math.sin(i * 0.37 + seed));
}

test('memory attention split into one-object calls gives the same features as one batched call', async () => {
  const manifest = await ensureModel('reference');
  const whole = await SamModel.load(manifest, { runtime: { attentionBudgetMb: 1e6 } });
  const split = await SamModel.load(manifest, { runtime: { attentionBudgetMb: 1e-9 } });
  try {
    const m = whole.manifest;
    const image = new Float32Array(3 * m.imageSize * m.imageSize).fill(0.1);
    const features = await whole.encodeImage(image);
    const batch = 5;
    const tokens = 2 * m.featureSize[0] * m.featureSize[1];
    const ptrs = 3;
    const args = [
      batch,
      filled(batch * tokens * m.memoryDim, 1),
      filled(batch * tokens * m.memoryDim, 2),
      tokens,
      filled(batch * ptrs * m.hiddenDim, 3),
      filled(batch * ptrs * m.memoryDim, 4),
      ptrs,
    ] as const;
    const a = await whole.attendMemory(features, ...args);
    const b = await split.attendMemory(features, ...args);
    assert.equal(split.timings.snapshot().memoryAttention?.calls, batch, 'one call per object');
    assert.equal(a.length, b.length);
    assert.ok(
      a.every(Number.isFinite) && b.every(Number.isFinite),
      `finite: ${a.every(Number.isFinite)} ${b.every(Number.isFinite)}`,
    );
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    assert.ok(maxDiff <= 1e-5, `max difference ${maxDiff}`);
  } finally {
    await whole.release();
    await split.release();
  }
});

/** Same length, finite, equal up to float noise relative to the largest value. */
function assertClose(got: Float32Array, expected: Float32Array, name: string): void {
  assert.equal(got.length, expected.length, `${name} length`);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < got.length; i++) {
    assert.ok(Number.isFinite(got[i]!) && Number.isFinite(expected[i]!), `${name}[${i}] finite`);
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]!));
  }
  assert.ok(maxDiff <= 1e-5 * Math.max(1, maxAbs), `${name}: max difference ${maxDiff} (largest |value| ${maxAbs})`);
}

test('mask decoder and memory encoder split into one-object calls give the same outputs as one batched call', async () => {
  const manifest = await ensureModel('reference');
  const whole = await SamModel.load(manifest, { runtime: { attentionBudgetMb: 1e6 } });
  const split = await SamModel.load(manifest, { runtime: { attentionBudgetMb: 1e-9 } });
  try {
    const m = whole.manifest;
    const image = Float32Array.from({ length: 3 * m.imageSize * m.imageSize }, (_, i) => Math.sin(i * 0.001));
    const features = await whole.encodeImage(image);
    const batch = 3;
    const hw = m.featureSize[0] * m.featureSize[1];
    const l = m.lowResMaskSize;
    const decoderArgs = [
      filled(batch * m.hiddenDim * hw, 5),
      features,
      batch,
      Float32Array.of(10, 20, 0, 0, 200, 100, 30, 40, 0, 0, 50, 60),
      Float32Array.of(1, -1, 1, 0, 1, -1),
      2,
      filled(batch * l * l, 6).map((v) => v * 400 - 4),
      Float32Array.of(0, 1, 1),
    ] as const;
    const a = await whole.decodeMasks(...decoderArgs);
    const b = await split.decodeMasks(...decoderArgs);
    assert.equal(split.timings.snapshot().maskDecoder?.calls, batch, 'one decoder call per object');
    for (const key of ['masks', 'iou', 'objPtrs', 'objectScores'] as const) assertClose(b[key], a[key], key);
    const encoderArgs = [
      features,
      batch,
      a.masks.filter((_, i) => Math.floor(i / (l * l)) % 4 === 0),
      a.objectScores,
      Float32Array.of(1, 0, 1),
    ] as const;
    const ea = await whole.encodeMemory(...encoderArgs);
    const eb = await split.encodeMemory(...encoderArgs);
    assert.equal(split.timings.snapshot().memoryEncoder?.calls, batch, 'one encoder call per object');
    assertClose(eb.memoryFeatures, ea.memoryFeatures, 'memoryFeatures');
    assertClose(eb.memoryPosEnc, ea.memoryPosEnc, 'memoryPosEnc');
  } finally {
    await whole.release();
    await split.release();
  }
});
