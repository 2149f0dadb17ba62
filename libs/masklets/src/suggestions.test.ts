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
  // Box IoU 512 / 1536 = 1/3: disagreement 2/3, fading over 8 frames upstream; frames 21.. are round 2's own.
  assert.deepEqual(
    items.map((s) => s.frame),
    [19, 18, 17, 16, 15, 14, 13, 12],
  );
  assert.deepEqual(
    items.map((s) => s.score),
    [0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05],
  );
  assert.deepEqual(items[0]!.reasons, [{ signal: 'promptDisagreement', value: 0.6667, contribution: 0.4 }]);
});
