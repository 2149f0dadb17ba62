import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  correctionPasses,
  defaultStartFrame,
  frameRangeSize,
  initialPasses,
  jobFrameRange,
  plannedFrames,
} from './frame-range';

test('maxFrames N is exactly N frames in the direction of travel, the start frame included', () => {
  assert.deepEqual(jobFrameRange({ direction: 'forward', startFrame: 0, maxFrames: 60 }, 289), { start: 0, end: 59 });
  assert.equal(frameRangeSize(jobFrameRange({ direction: 'forward', startFrame: 0, maxFrames: 1 }, 289)), 1);
  assert.deepEqual(
    jobFrameRange({ direction: 'forward', startFrame: 10, maxFrames: 90 }, 48),
    { start: 10, end: 47 },
    'clipped at the video end',
  );
  assert.deepEqual(jobFrameRange({ direction: 'backward', startFrame: 21, maxFrames: 5 }, 48), { start: 17, end: 21 });
  assert.deepEqual(jobFrameRange({ direction: 'both', startFrame: 21, maxFrames: 4 }, 48), { start: 18, end: 24 });
  assert.deepEqual(jobFrameRange({ direction: 'both', startFrame: 21 }, 48), { start: 0, end: 47 });
  assert.equal(
    frameRangeSize(jobFrameRange({ direction: 'forward', startFrame: 48 }, 48)),
    0,
    'a start outside the video covers nothing',
  );
});

test('round 1 passes cover exactly the range', () => {
  const o = { direction: 'both' as const, startFrame: 21, maxFrames: 4 };
  const passes = initialPasses(o, jobFrameRange(o, 48));
  assert.deepEqual(passes, [
    { reverse: false, start: 21, end: 24 },
    { reverse: true, start: 21, end: 18 },
  ]);
  assert.equal(plannedFrames(passes).size, 7);
  const back0 = { direction: 'backward' as const, startFrame: 0 };
  assert.deepEqual(
    initialPasses(back0, jobFrameRange(back0, 48)),
    [{ reverse: false, start: 0, end: 0 }],
    'backward from frame 0 is that frame alone',
  );
  const fwd = { direction: 'forward' as const, startFrame: 0, maxFrames: 60 };
  assert.equal(plannedFrames(initialPasses(fwd, jobFrameRange(fwd, 289))).size, 60);
});

test('correction passes never leave the job range', () => {
  const range = { start: 0, end: 59 };
  assert.deepEqual(correctionPasses('forward', [30], range), [{ reverse: false, start: 30, end: 59 }]);
  assert.deepEqual(correctionPasses('backward', [12, 30], range), [{ reverse: true, start: 30, end: 0 }]);
  assert.deepEqual(correctionPasses('both', [12, 30], range), [
    { reverse: false, start: 12, end: 59 },
    { reverse: true, start: 12, end: 0 },
  ]);
  assert.deepEqual(
    correctionPasses('both', [5], { start: 5, end: 20 }),
    [{ reverse: false, start: 5, end: 20 }],
    'nothing before the range start',
  );
  assert.deepEqual(correctionPasses('backward', [0], range), [{ reverse: false, start: 0, end: 0 }]);
  assert.deepEqual(correctionPasses('forward', [], range), [], 'a round of removals only has no pass');
  assert.equal(plannedFrames(correctionPasses('forward', [30], range)).size, 30);
});

test('the default start is the first prompted frame in the direction of travel', () => {
  assert.equal(defaultStartFrame('forward', [7, 3, 9]), 3);
  assert.equal(defaultStartFrame('both', [7, 3, 9]), 3);
  assert.equal(defaultStartFrame('backward', [7, 3, 9]), 9);
});
