import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/generator/ensure-model';
import { SamModel } from '../src';
import { attentionBatchSize, batchRanges } from '../src/session/attention-budget';

test('the budget sizes the object batch; ranges cover every object once', () => {
  const sam2 = { queries: 4096, memoryTokens: 28_700, hiddenDim: 256 };
  assert.equal(attentionBatchSize(64, sam2), 1, 'SAM 2 size at 1024: one object per call on CPU');
  assert.equal(attentionBatchSize(2048, sam2), 2, 'unchunked: scores and softmax of 4096 x 28.7k per object');
  assert.equal(attentionBatchSize(2048, { ...sam2, queryChunk: 256 }), 18, 'chunked: 2 x 256 x 28.7k scores plus keys and values');
  assert.equal(attentionBatchSize(64, { ...sam2, memoryTokens: 4096, queryChunk: 256 }), 4, 'one memory frame');
  assert.equal(attentionBatchSize(1, { ...sam2, queryChunk: 1e6 }), attentionBatchSize(1, sam2), 'a chunk past Nq is no chunk');
  assert.deepEqual(batchRanges(5, 2), [[0, 2], [2, 4], [4, 5]]);
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
    const args = [batch, filled(batch * tokens * m.memoryDim, 1), filled(batch * tokens * m.memoryDim, 2), tokens, filled(batch * ptrs * m.hiddenDim, 3), filled(batch * ptrs * m.memoryDim, 4), ptrs] as const;
    const a = await whole.attendMemory(features, ...args);
    const b = await split.attendMemory(features, ...args);
    assert.equal(split.timings.snapshot().memoryAttention?.calls, batch, 'one call per object');
    assert.equal(a.length, b.length);
    assert.ok(a.every(Number.isFinite) && b.every(Number.isFinite), `finite: ${a.every(Number.isFinite)} ${b.every(Number.isFinite)}`);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    assert.ok(maxDiff <= 1e-5, `max difference ${maxDiff}`);
  } finally {
    await whole.release();
    await split.release();
  }
});
