import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clicksOf, roundEffort, sumEffort } from './round-effort';

test('clicks count points and boxes, not masks; effort without previews has no time', () => {
  const prompts = [
    { points: [{}, {}] },
    { box: [1, 2, 3, 4] },
    { mask: { size: [2, 2], counts: '4' } },
    { points: [{}], box: [0, 0, 5, 5] },
  ];
  assert.equal(clicksOf(prompts), 5);
  const at = new Date('2026-01-01T00:00:10Z');
  assert.deepEqual(
    roundEffort(prompts, [3, 3, 9], { firstPreviewAt: new Date('2026-01-01T00:00:00.5Z'), previews: 4 }, at),
    {
      clicks: 5,
      previews: 4,
      activeSeconds: 9.5,
      framesChanged: 2,
      secondsPerFrame: 4.75,
    },
  );
  assert.deepEqual(roundEffort([], [], null, at), {
    clicks: 0,
    previews: 0,
    activeSeconds: null,
    framesChanged: 0,
    secondsPerFrame: null,
  });
});

test('totals: seconds per frame only over rounds with a recorded active time', () => {
  const t = sumEffort([
    { clicks: 2, previews: null, activeSeconds: null, framesChanged: 2 },
    { clicks: 3, previews: 5, activeSeconds: 12, framesChanged: 3 },
    { clicks: 1, previews: 1, activeSeconds: 3, framesChanged: 1 },
  ]);
  assert.deepEqual(t, {
    rounds: 3,
    clicks: 6,
    previews: 6,
    activeSeconds: 15,
    framesChanged: 6,
    secondsPerFrame: 3.75,
  });
});
