import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { fromBytePlanes, toBytePlanes } from './byte-planes';

test('byte planes of a 3-word buffer put byte k of every word in plane k, a short tail after them', () => {
  const src = Buffer.from([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24, 99, 98]);
  assert.deepEqual([...toBytePlanes(src)], [1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24, 99, 98]);
});

test('planes written from parts (words split across parts, odd tails) equal the planes of their concatenation', () => {
  for (const sizes of [[8, 4, 12], [3, 5, 1, 7, 2], [1, 1, 1, 1, 1], [0, 6, 0, 9], [13]]) {
    const parts = sizes.map((n) => randomBytes(n));
    const whole = Buffer.concat(parts);
    const planes = toBytePlanes(parts);
    assert.deepEqual(planes, toBytePlanes(whole), `sizes ${sizes.join(',')}`);
    assert.deepEqual(fromBytePlanes(planes), whole, `round trip, sizes ${sizes.join(',')}`);
  }
});

test('reserved leading bytes are left to the caller and the planes follow them', () => {
  const parts = [randomBytes(10), randomBytes(6)];
  const planes = toBytePlanes(parts, 5);
  assert.equal(planes.length, 21);
  assert.deepEqual(planes.subarray(5), toBytePlanes(Buffer.concat(parts)));
});
