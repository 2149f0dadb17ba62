import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roleThreadsVariable, runtimeFromEnv } from '../src/runtime/runtime-env';
import { sessionOptions } from '../src/runtime/execution-providers';
import { roleThreading } from '../src/runtime/sam-model';

test('thread variables reach each role session, a per-role variable winning over the global one', () => {
  assert.equal(roleThreadsVariable('memoryAttention'), 'MASKLET_INTRA_OP_THREADS_MEMORY_ATTENTION');
  const runtime = runtimeFromEnv({
    MASKLET_INTRA_OP_THREADS: '2',
    MASKLET_INTRA_OP_THREADS_IMAGE_ENCODER: '3',
    MASKLET_INTRA_OP_THREADS_MEMORY_ENCODER: '2',
    MASKLET_INTER_OP_THREADS: '1',
  });
  assert.deepEqual(runtime.providers, ['cpu']);
  assert.equal(roleThreading('imageEncoder', runtime).threads, 3);
  assert.equal(roleThreading('memoryAttention', runtime).threads, 2);
  assert.equal(roleThreading('memoryEncoder', runtime).threads, 2, 'a small role can be given more than one thread');
  assert.equal(roleThreading('maskPrompt', runtime).threads, 1);
  const options = sessionOptions(runtime, 'cpu', roleThreading('imageEncoder', runtime));
  assert.equal(options.intraOpNumThreads, 3);
  assert.equal(options.interOpNumThreads, 1);
  assert.deepEqual(runtimeFromEnv({}).roleIntraOpThreads, {});
  assert.equal(runtimeFromEnv({}).intraOpThreads, undefined);
});

test('a bad thread count is refused naming the variable', () => {
  assert.throws(
    () => runtimeFromEnv({ MASKLET_INTRA_OP_THREADS: 'two' }),
    /MASKLET_INTRA_OP_THREADS must be an integer/,
  );
  assert.throws(
    () => runtimeFromEnv({ MASKLET_INTRA_OP_THREADS_MASK_DECODER: '0' }),
    /MASKLET_INTRA_OP_THREADS_MASK_DECODER must be an integer/,
  );
});
