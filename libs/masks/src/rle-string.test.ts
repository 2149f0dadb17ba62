// Compressed COCO strings: hand-derived encodings from the pycocotools algorithm, round trips, bad input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  fromCocoRle,
  rleFromString,
  rleToString,
  toCocoRle,
} from '@masklet/masks';
import { randomMask, rng } from './test-support';

// Hand encodings, following the pycocotools algorithm (5-bit groups, low first; 0x20 = more
// groups follow; 0x10 of the last group = sign; each group + 48 as a character):
const HAND_CASES: [number[], string][] = [
  // 0 -> group 0 -> '0'; 3 -> '3'; 2 (index 2 is NOT delta-coded) -> '2'.
  [[0, 3, 2], '032'],
  // Same, with a non-zero first count: a delta at index 2 would give 2-4 = -2 -> 'n', not '2'.
  [[4, 3, 2], '432'],
  // 5 -> '5'; 10 -> ':' (58).
  // 20 = 0b10100: the group has bit 0x10 set, which would read as negative, so another group is
  //   needed: (20 | 0x20) + 48 = 100 'd', then 0 -> '0'.
  // index 3 is delta-coded against index 1: 3 - 10 = -7; -7 & 0x1f = 25, -7 >> 5 = -1, and 25
  //   has 0x10 set, so -1 means "done": 25 + 48 = 73 'I'.
  [[5, 10, 20, 3], '5:d0I'],
  // 1000 = 31 * 32 + 8: (8 | 0x20) + 48 = 'X'; 31 has 0x10 set with 0 left -> (31 | 0x20) + 48 =
  //   'o'; then 0 -> '0'.
  [[1000], 'Xo0'],
  // Index 4 delta against index 2: 1 - 1000 = -999 = -32 * 32 + 25 (-999 & 0x1f = 25, -999 >> 5
  //   = -32): (25 | 0x20) + 48 = 'i'; -32 & 0x1f = 0 without 0x10, -32 >> 5 = -1 -> more:
  //   (0 | 0x20) + 48 = 'P'; -1 -> 31 with 0x10 and -1 left -> done: 31 + 48 = 'O'.
  //   Index 3: 7 - 2 = 5 -> '5'.
  [[1, 2, 1000, 7, 1], '12Xo05iPO'],
];

describe('rleToString / rleFromString', () => {
  for (const [counts, text] of HAND_CASES) {
    it(`[${counts.join(', ')}] <-> "${text}"`, () => {
      assert.equal(rleToString(counts), text);
      assert.deepEqual(rleFromString(text), counts);
    });
  }

  it('round-trips large random counts, beyond 32 bits too', () => {
    const rand = rng(3);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 50);
      const scale = [10, 1e3, 1e6, 2 ** 31, 2 ** 40][t % 5] as number;
      const counts = Array.from({ length: n }, (_, i) => (i === 0 && t % 2 ? 0 : Math.floor(rand() * scale)));
      assert.deepEqual(rleFromString(rleToString(counts)), counts);
    }
  });

  it('only emits characters in the COCO range 48..111', () => {
    const s = rleToString([0, 2 ** 33, 1, 5, 2 ** 20, 3]);
    for (const ch of s) assert.ok(ch.charCodeAt(0) >= 48 && ch.charCodeAt(0) <= 111, ch);
  });

  it('rejects truncated or foreign strings', () => {
    assert.throws(() => rleFromString('X'), /ends inside a count/);
    assert.throws(() => rleFromString('0 3'), /invalid character/);
    assert.throws(() => rleFromString('p'), /invalid character/);
    // '5' = 5, ':' = 10, '0' = 0, then '@' = 16 with the sign bit -> -16; index 3 is a delta:
    // -16 + 10 = -6, an impossible run length.
    assert.throws(() => rleFromString('5:0@'), /decodes to/);
  });
});

describe('toCocoRle / fromCocoRle', () => {
  it('round-trips masks and agrees with the uncompressed form', () => {
    const rand = rng(4);
    for (let t = 0; t < 100; t++) {
      const mask = randomMask(rand, 1 + Math.floor(rand() * 50), 1 + Math.floor(rand() * 50), rand(), t % 2 === 0);
      const coco = toCocoRle(mask);
      const rle = encodeRle(mask);
      assert.deepEqual(coco.size, rle.size);
      assert.equal(coco.counts, rleToString(rle.counts));
      assert.deepEqual(decompressRle(coco), rle);
      assert.deepEqual(compressRle(rle), coco);
      assert.deepEqual(fromCocoRle(coco), decodeRle(rle));
    }
  });

  it('rejects a string whose counts do not fill the declared size', () => {
    assert.throws(() => fromCocoRle({ size: [2, 2], counts: '032' }), /sum to 5/);
  });
});
