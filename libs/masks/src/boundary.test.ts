// seg2bmap semantics: hand-worked map, border handling, and the numpy-style formulation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundaryMap, createMask } from '@masklet/masks';
import { maskFromRows, naiveBoundary, randomMask, rng } from './test-support';

const rowsOf = (m: { width: number; height: number; data: Uint8Array }): string[] =>
  Array.from({ length: m.height }, (_, y) => Array.from(m.data.subarray(y * m.width, (y + 1) * m.width)).join(''));

describe('boundaryMap (DAVIS seg2bmap)', () => {
  it('marks pixels that differ from their right, bottom or bottom-right neighbour (hand case)', () => {
    // A 2x2 square inside 4x4. Worked through pixel by pixel:
    // (0,0) differs from its bottom-right (1,1) -> 1; (1,0), (2,0) differ from below -> 1;
    // (3,0) is in the last column and only looks down at 0 -> 0. Row 1: (0,1) differs from its
    // right -> 1; (1,1) is interior -> 0; (2,1) differs from its right -> 1. Row 2: (0,2) -> 1;
    // (1,2), (2,2) differ from below -> 1. The last row only looks right: all 0.
    // So the boundary sits on the square's bottom/right pixels and the background above/left.
    const mask = maskFromRows(['0000', '0110', '0110', '0000']);
    assert.deepEqual(rowsOf(boundaryMap(mask)), ['1110', '1010', '1110', '0000']);
  });

  it('ignores neighbours beyond the border, so a full frame has no boundary', () => {
    const full = createMask(5, 4);
    full.data.fill(1);
    assert.ok(boundaryMap(full).data.every((v) => v === 0));
    // Objects touching the right/bottom border get no boundary along it.
    assert.deepEqual(rowsOf(boundaryMap(maskFromRows(['000', '011', '011']))), ['111', '100', '100']);
  });

  it('agrees with the literal numpy-style formulation on random masks', () => {
    const rand = rng(9);
    for (let t = 0; t < 200; t++) {
      const m = randomMask(rand, 1 + Math.floor(rand() * 25), 1 + Math.floor(rand() * 25), rand(), t % 2 === 0);
      assert.deepEqual(boundaryMap(m).data, naiveBoundary(m).data);
    }
  });
});
