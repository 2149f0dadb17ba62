import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fairPriority, MAX_BULL_PRIORITY } from './fair-priority';

test('a lone job of one tenant outranks the 2nd job of another tenant backlog', () => {
  const heavySecond = fairPriority(1, 5);
  const lightFirst = fairPriority(0, 5);
  assert.ok(lightFirst < heavySecond);
});

test('client priority orders jobs of equal rank, never across ranks', () => {
  assert.ok(fairPriority(3, 10) < fairPriority(3, 1));
  assert.ok(fairPriority(3, 1) < fairPriority(4, 10));
  assert.ok(fairPriority(0, 10) >= 1, 'priority 0 would bypass BullMQ prioritisation');
});

test('ranks past the BullMQ limit are clamped', () => {
  assert.equal(fairPriority(10_000_000, 5), MAX_BULL_PRIORITY);
});
