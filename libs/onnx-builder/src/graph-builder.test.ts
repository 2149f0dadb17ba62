import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '@masklet/onnx-builder';

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function close(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

test('arithmetic, matmul, softmax and reductions compute the expected numbers', async () => {
  const g = new GraphBuilder('tiny');
  const x = g.input('x', ['B', 3]);
  const w = g.initializer('w', Float32Array.from([1, 0, 0, 1, 1, 1]), [3, 2]);
  const y = g.add(g.matmul(x, w), g.const([0.5, -0.5]));
  g.output('y', y, ['B', 2]);
  g.output('s', g.softmax(y, -1), ['B', 2]);
  g.output('sum', g.reduceSum(x, [1], false), ['B']);
  g.output('mx', g.reduceMax(x, [1], false), ['B']);
  g.output('clipped', g.clip(g.mul(x, 10), -5, 5), ['B', 3]);
  const out = await run(g.toModel(), { x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, -1, 0, 4]), [2, 3]) });
  close(out.y!.data as Float32Array, [4.5, 4.5, 3.5, 3.5]);
  close(out.s!.data as Float32Array, [0.5, 0.5, 0.5, 0.5]);
  close(out.sum!.data as Float32Array, [6, 3]);
  close(out.mx!.data as Float32Array, [3, 4]);
  close(out.clipped!.data as Float32Array, [5, 5, 5, -5, 0, 5]);
});

test('pooling, resize, slicing and shape ops on an image', async () => {
  const g = new GraphBuilder('img');
  const x = g.input('x', [1, 1, 4, 4]);
  g.output('avg', g.avgPool(x, { kernel: [2, 2], strides: [2, 2] }), [1, 1, 2, 2]);
  g.output('max', g.maxPool(x, { kernel: [3, 3], pads: [1, 1, 1, 1] }), [1, 1, 4, 4]);
  const small = g.avgPool(x, { kernel: [4, 4], strides: [4, 4] });
  g.output('up', g.resize(small, { sizes: [1, 1, 2, 2], mode: 'nearest' }), [1, 1, 2, 2]);
  g.output('row', g.narrow(x, 2, 1, 2), [1, 1, 1, 4]);
  g.output('shape', g.shape(x, 2), [2], 'int64');
  const data = Float32Array.from({ length: 16 }, (_, i) => i);
  const out = await run(g.toModel(), { x: new ort.Tensor('float32', data, [1, 1, 4, 4]) });
  close(out.avg!.data as Float32Array, [2.5, 4.5, 10.5, 12.5]);
  close(out.max!.data as Float32Array, [5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15, 13, 14, 15, 15]);
  close(out.up!.data as Float32Array, [7.5, 7.5, 7.5, 7.5]);
  close(out.row!.data as Float32Array, [4, 5, 6, 7]);
  assert.deepEqual(Array.from(out.shape!.data as BigInt64Array), [4n, 4n]);
});

test('where / comparisons / cast and If subgraphs', async () => {
  const g = new GraphBuilder('logic');
  const x = g.input('x', ['N']);
  const pos = g.greater(x, 0);
  g.output('relu', g.where(pos, x, 0), ['N']);
  g.output('mask', g.toFloat(pos), ['N']);
  const any = g.greater(g.reduceMax(x, [0], false), 10);
  const [branch] = g.ifElse(
    any,
    (t) => [t.mul(x, 2)],
    (e) => [e.neg(x)],
  );
  g.output('branch', branch!, ['N']);
  const out = await run(g.toModel(), { x: new ort.Tensor('float32', Float32Array.from([-1, 2, 0.5]), [3]) });
  close(out.relu!.data as Float32Array, [0, 2, 0.5]);
  close(out.mask!.data as Float32Array, [0, 1, 1]);
  close(out.branch!.data as Float32Array, [1, -2, -0.5]);
});

test('names are unique and the model bytes are deterministic', () => {
  const build = () => {
    const g = new GraphBuilder('det');
    const x = g.input('x', [2]);
    g.output('y', g.add(g.add(x, 1), g.add(x, 1)), [2]);
    return g.toModel();
  };
  assert.deepEqual(Buffer.from(build()), Buffer.from(build()));
  const g = new GraphBuilder('dup');
  g.input('x', [1]);
  assert.throws(() => g.input('x', [1]), /already used/);
});
