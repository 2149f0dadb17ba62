import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/generator/ensure-model';
import { parseProviders, SamModel } from '../src';

test('asking for CUDA where it cannot load falls back to CPU and logs why', async () => {
  const warnings: { obj: object; msg?: string }[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: (obj: object, msg?: string) => warnings.push({ obj, msg }) };
  const model = await SamModel.load(await ensureModel('reference'), { runtime: { providers: parseProviders('cuda,cpu') }, logger });
  try {
    // On a machine where CUDA loads this would be 'cuda'; the assertion below is about the fallback path.
    if (model.provider === 'cpu') {
      assert.ok(warnings.length > 0, 'the fallback is logged');
      assert.match(warnings[0]!.msg ?? '', /cuda failed to load; falling back/);
      assert.ok('reason' in warnings[0]!.obj);
    }
    assert.ok(model.provider === 'cpu' || model.provider === 'cuda');
  } finally {
    await model.release();
  }
});

test('unknown providers are rejected by name', () => {
  assert.throws(() => parseProviders('tpu'), /unknown execution provider "tpu"/);
  assert.deepEqual(parseProviders(undefined), ['cpu']);
});
