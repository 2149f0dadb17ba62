import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaveOneOut } from './leave-one-out';

const scores = (entries: Record<string, number>) => new Map(Object.entries(entries));

test('leaveOneOut: each fold picks the best setting on the other sequences and scores the held-out one', () => {
  // "wide" wins on a and b, "narrow" on c; held out, c is scored by the setting the others prefer.
  const report = leaveOneOut([
    { setting: 'narrow', scores: scores({ a: 0.2, b: 0.3, c: 0.9 }) },
    { setting: 'wide', scores: scores({ a: 0.6, b: 0.5, c: 0.4 }) },
  ]);
  assert.deepEqual(
    report.folds.map((f) => [f.heldOut, f.chosen, f.heldOutScore]),
    [
      ['a', 'narrow', 0.2], // on b, c: narrow 0.6 vs wide 0.45
      ['b', 'narrow', 0.3], // on a, c: narrow 0.55 vs wide 0.5
      ['c', 'wide', 0.4], // on a, b: wide 0.55 vs narrow 0.25
    ],
  );
  assert.ok(Math.abs(report.folds[0]!.trainScore - 0.6) < 1e-12);
  assert.ok(Math.abs(report.mean - 0.3) < 1e-12);
  assert.equal(report.worst.heldOut, 'a');
});

test('leaveOneOut: ties keep the earlier setting; mismatched sequences are rejected', () => {
  const tie = leaveOneOut([
    { setting: 'first', scores: scores({ a: 0.5, b: 0.5 }) },
    { setting: 'second', scores: scores({ a: 0.5, b: 0.5 }) },
  ]);
  assert.deepEqual(
    tie.folds.map((f) => f.chosen),
    ['first', 'first'],
  );
  assert.throws(
    () =>
      leaveOneOut([
        { setting: 'x', scores: scores({ a: 1, b: 1 }) },
        { setting: 'y', scores: scores({ a: 1, c: 1 }) },
      ]),
    /setting y does not score the same sequences \(missing: b\)/,
  );
  assert.throws(() => leaveOneOut([]), /at least one setting/);
});
