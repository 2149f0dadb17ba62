import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBfloat16, toBfloat16 } from './bfloat16';

test('bfloat16 rounds to nearest even like torch', () => {
  const values = Float32Array.from([
    1,
    -2.5,
    1.00390625 /* halfway 1 + 2^-8: ties to even -> 1 */,
    1.01171875 /* 1 + 3*2^-8: ties to even -> 1.015625 */,
    3.14159265,
    0,
    -0,
    Infinity,
    -Infinity,
  ]);
  const back = new Float32Array(values.length);
  fromBfloat16(toBfloat16(values), back);
  assert.deepEqual([...back.slice(0, 4)], [1, -2.5, 1, 1.015625]);
  assert.equal(back[4], 3.140625);
  assert.ok(Object.is(back[6], -0));
  assert.equal(back[7], Infinity);
  assert.equal(back[8], -Infinity);
});

test('NaN stays NaN and relative error is below 2^-8', () => {
  const values = new Float32Array(1000).map((_, i) => Math.sin(i) * 10 ** ((i % 7) - 3));
  values[5] = NaN;
  const back = new Float32Array(values.length);
  fromBfloat16(toBfloat16(values), back);
  assert.ok(Number.isNaN(back[5]));
  for (let i = 0; i < values.length; i++)
    if (i !== 5 && values[i] !== 0) assert.ok(Math.abs(back[i]! - values[i]!) / Math.abs(values[i]!) <= 2 ** -8);
});
