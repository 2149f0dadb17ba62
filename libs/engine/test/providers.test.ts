import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/generator/ensure-model';
import { parseProviders, SamModel } from '../src';
import { missingProviderLibrary, sessionOptions } from '../src/runtime/execution-providers';
import { roleThreading } from '../src/runtime/sam-model';

test('asking for CUDA where it cannot load falls back to CPU and logs why', async () => {
  const warnings: { obj: object; msg?: string }[] = [];
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (obj: object, msg?: string) => warnings.push({ obj, msg }),
  };
  const model = await SamModel.load(await ensureModel('reference'), {
    runtime: { providers: parseProviders('cuda,cpu') },
    logger,
  });
  try {
    // On a machine where CUDA loads this would be 'cuda'; the assertion below is about the fallback path.
    if (model.provider === 'cpu') {
      assert.ok(warnings.length > 0, 'the fallback is logged');
      assert.match(warnings[0]!.msg ?? '', /cuda failed to load; falling back/);
      assert.ok('reason' in warnings[0]!.obj);
      // Without the CUDA libraries the reason names them and onnxruntime is not asked (no native error line).
      const missing = missingProviderLibrary('cuda');
      if (missing) assert.equal((warnings[0]!.obj as { reason: string }).reason, missing);
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

test('small roles run on one thread; of the rest only memory attention lets its pool spin', () => {
  const runtime = { providers: ['cpu' as const], intraOpThreads: 4 };
  for (const role of ['memoryEncoder', 'maskPrompt', 'objPtrTposProj', 'constants'] as const) {
    assert.deepEqual(roleThreading(role, runtime), { threads: 1, spin: false }, role);
  }
  assert.deepEqual(roleThreading('memoryAttention', runtime), { threads: 4, spin: true });
  assert.deepEqual(roleThreading('imageEncoder', runtime), { threads: 4, spin: false });
  assert.deepEqual(roleThreading('maskDecoder', { providers: ['cpu'] }), { threads: undefined, spin: false });

  const options = sessionOptions(runtime, 'cpu', { threads: 1, spin: false });
  assert.equal(options.intraOpNumThreads, 1);
  assert.deepEqual(options.extra, { session: { set_denormal_as_zero: '1', intra_op: { allow_spinning: '0' } } });
  const spinning = sessionOptions({ providers: ['cpu'] }, 'cpu', { spin: true });
  assert.equal(spinning.intraOpNumThreads, undefined, 'no thread count: onnxruntime picks one per core');
  assert.deepEqual(spinning.extra, { session: { set_denormal_as_zero: '1', intra_op: { allow_spinning: '1' } } });
});
