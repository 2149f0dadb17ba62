import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankSuggestions, type ObjectTimeline, type TimelineFrame } from './suggestions';

/** A steady object: area 1024 (32 px wide), box centred at (26, 26), confident. */
function steady(frames: number, round = 1): TimelineFrame[] {
  return Array.from({ length: frames }, (_, frame) => ({
    frame,
    round,
    stat: { present: true, area: 1024, box: [10, 10, 42, 42] as [number, number, number, number] },
    signals: { score: 8, iou: 0.95 },
  }));
}

function timeline(frames: TimelineFrame[], extra: Partial<ObjectTimeline> = {}): ObjectTimeline {
  return { objectId: 1, frames, promptedFrames: new Set([0]), corrections: [], ...extra };
}

function damaged(): TimelineFrame[] {
  const f = steady(30);
  f[5] = { ...f[5]!, stat: { present: false, area: 0, box: null }, signals: { score: -2, iou: 0.7 } }; // a one-frame blip
  f[12] = { ...f[12]!, stat: { ...f[12]!.stat, area: 2048 } }; // the mask doubles for a frame
  f[18] = { ...f[18]!, signals: { score: 8, iou: 0.3 } }; // the decoder doubts its mask
  f[24] = { ...f[24]!, stat: { ...f[24]!.stat, box: [18, 10, 50, 42] } }; // the box jumps 8 px = 0.25 object sizes
  for (const k of [27, 28, 29])
    f[k] = { ...f[k]!, stat: { present: false, area: 0, box: null }, signals: { score: -6, iou: 0.8 } }; // it leaves
  return f;
}

test('a presence blip, an area jump, a low IoU, a lasting exit and a centroid jump rank in that order', () => {
  const items = rankSuggestions([timeline(damaged())], 50);
  assert.deepEqual(
    items.map((s) => [s.frame, s.score, s.reasons.map((r) => [r.signal, r.value])]),
    [
      [5, 1, [['presenceFlip', -2]]],
      [12, 0.8, [['areaJump', 2]]],
      [18, 0.6667, [['lowIou', 0.3]]],
      [27, 0.5, [['presenceFlip', -6]]],
      [24, 0.2286, [['centroidJump', 0.25]]],
    ],
  );
});

test('prompted frames are never suggested, the limit cuts the tail, and ties order by frame then object', () => {
  const items = rankSuggestions([timeline(damaged(), { promptedFrames: new Set([0, 5]) })], 2);
  assert.deepEqual(
    items.map((s) => s.frame),
    [12, 18],
  );
  const a = timeline(damaged(), { objectId: 2 });
  const b = timeline(damaged(), { objectId: 1 });
  const both = rankSuggestions([a, b], 4);
  assert.deepEqual(
    both.map((s) => [s.frame, s.objectId]),
    [
      [5, 1],
      [5, 2],
      [12, 1],
      [12, 2],
    ],
  );
  assert.deepEqual(
    rankSuggestions([timeline(steady(30))], 10),
    [],
    'a steady, confident object has nothing to correct',
  );
});

test('a correction that disagreed with memory flags the frames before it that its round did not recompute', () => {
  const frames = steady(30).map((f) => (f.frame >= 20 ? { ...f, round: 2 } : f));
  const correction = {
    frame: 20,
    round: 2,
    before: { present: true, area: 1024, box: [10, 10, 42, 42] as [number, number, number, number] },
    after: { present: true, area: 1024, box: [26, 10, 58, 42] as [number, number, number, number] },
  };
  const items = rankSuggestions(
    [timeline(frames, { promptedFrames: new Set([0, 20]), corrections: [correction] })],
    50,
  );
  // Box IoU 512 / 1536 = 1/3: disagreement 2/3, fading over 8 frames upstream; frames 21.. are round 2's
  // own, and frame 19, next to the correction, is left out (the correction reaches it already).
  assert.deepEqual(
    items.map((s) => s.frame),
    [18, 17, 16, 15, 14, 13, 12],
  );
  assert.deepEqual(
    items.map((s) => s.score),
    [0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05],
  );
  assert.deepEqual(items[0]!.reasons, [{ signal: 'promptDisagreement', value: 0.6667, contribution: 0.35 }]);
});

test('a click-prompted frame whose mask tracking keeps growing is suggested, after a corrective click too; a mask prompt and the neighbours of a correction are not', () => {
  // The prompt's mask on frame 0 covers 1024 px; tracking settles at 1536 (median factor 1.5) from frame 1 on.
  const frames = steady(30).map((f) => (f.frame === 0 ? f : { ...f, stat: { ...f.stat, area: 1536 } }));
  const drift = (extra: Partial<ObjectTimeline>) => rankSuggestions([timeline(frames, extra)], 50);
  const first = drift({ clickPrompts: new Set([0]) });
  // ln 1.5 between ln 1.25 and ln 2: (0.4055 - 0.2231) / (0.6931 - 0.2231) = 0.3879 of 1.2; the area step
  // at frames 0..2 against their neighbours adds areaJump there too.
  assert.equal(first[0]!.frame, 0);
  assert.deepEqual(
    first[0]!.reasons.find((r) => r.signal === 'promptDrift'),
    { signal: 'promptDrift', value: 1.5, contribution: 0.4655 },
  );
  assert.ok(!drift({}).some((s) => s.frame === 0), 'a frame given a mask prompt is never suggested');
  // Steady tracking after the prompt: nothing to say about the prompt.
  assert.ok(!rankSuggestions([timeline(steady(30), { clickPrompts: new Set([0]) })], 50).some((s) => s.frame === 0));
  // A corrective click on frame 0 in round 2 that leaves tracking drifting: frame 0 is still suggested
  // (its mask is the model's answer to the clicks), its neighbour is not.
  const stat = frames[0]!.stat;
  const clicked = drift({
    clickPrompts: new Set([0]),
    corrections: [{ frame: 0, round: 2, before: stat, after: stat }],
  });
  assert.equal(clicked[0]!.frame, 0, JSON.stringify(clicked.slice(0, 3)));
  assert.ok(!clicked.some((s) => s.frame === 1), JSON.stringify(clicked.slice(0, 3)));
  // Corrected with a mask: neither frame 0 nor frame 1 is suggested any more.
  const masked = drift({
    clickPrompts: new Set(),
    corrections: [{ frame: 0, round: 2, before: stat, after: stat }],
  });
  assert.ok(!masked.some((s) => s.frame <= 1), JSON.stringify(masked.slice(0, 3)));
});
