import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spearman } from './rank-correlation';

test('spearman: monotone orders give +-1, ties share their average rank, constants give NaN', () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 400]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // Ranks [0.5, 0.5, 2, 3] against [0, 1, 2, 3]: covariance 4.5 / sqrt(4.5 * 5).
  assert.ok(Math.abs(spearman([0, 0, 1, 2], [0, 1, 2, 3]) - 4.5 / Math.sqrt(4.5 * 5)) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(spearman([1], [1])));
});
