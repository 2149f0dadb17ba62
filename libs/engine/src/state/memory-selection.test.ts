import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectConditioningFrames, selectMemory, MemoryRules } from './memory-selection';

const rules: MemoryRules = {
  numMaskmem: 7,
  stride: 1,
  maxCondFramesInAttn: -1,
  maxObjPtrsInEncoder: 16,
  useObjPtrsInEncoder: true,
  onlyObjPtrsInThePast: true,
  signedTpos: true,
};

test('forward: conditioning frames at t_pos 0, then the 6 previous frames oldest first', () => {
  const tracked = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const sel = selectMemory(10, false, 100, [0], (f) => tracked.has(f) && f !== 0, rules);
  assert.deepEqual(
    sel.memory.map((m) => [m.frame, m.tPos, m.cond]),
    [
      [0, 0, true],
      [4, 1, false],
      [5, 2, false],
      [6, 3, false],
      [7, 4, false],
      [8, 5, false],
      [9, 6, false],
    ],
  );
  // Pointers: the conditioning frame (offset 10), then 1..9 frames back (frame 0 is conditioning, so not a recent pointer).
  assert.deepEqual(
    sel.pointers.map((p) => [p.frame, p.offset]),
    [
      [0, 10],
      [9, 1],
      [8, 2],
      [7, 3],
      [6, 4],
      [5, 5],
      [4, 6],
      [3, 7],
      [2, 8],
      [1, 9],
    ],
  );
});

test('reverse: memory comes from later frames and pointer offsets are signed', () => {
  const has = (f: number) => f > 20 && f < 40;
  const sel = selectMemory(20, true, 50, [40, 5], has, rules);
  assert.deepEqual(
    sel.memory.slice(0, 2).map((m) => m.frame),
    [40, 5],
  );
  assert.deepEqual(
    sel.memory.slice(2).map((m) => m.frame),
    [26, 25, 24, 23, 22, 21],
  );
  // Only conditioning frames "in the past" of a reverse pass (t >= frame) give pointers: 40, offset (20-40)*-1 = 20.
  assert.deepEqual(sel.pointers[0], { frame: 40, offset: 20, cond: true });
  assert.equal(sel.pointers.filter((p) => p.frame === 5).length, 0);
  assert.deepEqual(
    sel.pointers.slice(1).map((p) => p.frame),
    [21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35],
  );
});

test('pointers stop at the video edge and are capped by the number of frames', () => {
  const sel = selectMemory(3, false, 5, [0], (f) => f > 0 && f < 3, rules);
  assert.deepEqual(
    sel.pointers.map((p) => p.frame),
    [0, 2, 1],
  );
  const short = selectMemory(2, false, 3, [0], (f) => f === 1, rules);
  // max pointers = min(numFrames, 16) = 3 -> t_diff 1..2
  assert.deepEqual(
    short.pointers.map((p) => p.offset),
    [2, 1],
  );
});

test('future conditioning frames are attended to but give no pointer', () => {
  const sel = selectMemory(2, false, 50, [30], () => false, rules);
  assert.deepEqual(
    sel.memory.map((m) => m.frame),
    [30],
  );
  assert.equal(sel.pointers.length, 0);
});

test('unsigned offsets when useSignedTpos is off', () => {
  const sel = selectMemory(20, true, 50, [40], () => false, {
    ...rules,
    signedTpos: false,
    onlyObjPtrsInThePast: false,
  });
  assert.equal(sel.pointers[0]!.offset, 20);
});

test('closest conditioning frames when capped; unselected ones can serve as recent memory', () => {
  const { selected, unselected } = selectConditioningFrames(10, [0, 9, 12, 30, 50], 3);
  assert.deepEqual(selected, [9, 12, 0]);
  assert.deepEqual(
    [...unselected].sort((a, b) => a - b),
    [30, 50],
  );
  const sel = selectMemory(31, false, 60, [0, 28, 30, 50], () => false, { ...rules, maxCondFramesInAttn: 2 });
  assert.deepEqual(
    sel.memory.map((m) => [m.frame, m.tPos, m.cond]),
    [
      [30, 0, true],
      [50, 0, true],
      [28, 4, true],
    ],
  );
});

test('temporal stride picks every stride-th frame beyond the previous one', () => {
  const sel = selectMemory(20, false, 100, [0], (f) => f > 0 && f < 20, { ...rules, stride: 3 });
  // t_rel 1 -> 19; t_rel>=2 -> floor((20-2)/3)*3 - (t_rel-2)*3 = 18, 15, 12, 9, 6
  assert.deepEqual(
    sel.memory.slice(1).map((m) => m.frame),
    [6, 9, 12, 15, 18, 19],
  );
});
