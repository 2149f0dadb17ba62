import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plannedFrameCount } from './frame-plan';
import { readJobOptions } from './job-options';

test('planned frames follow the engine pass rules', () => {
  assert.equal(plannedFrameCount(48, 0, 'forward'), 48);
  assert.equal(plannedFrameCount(48, 10, 'forward', 5), 6);
  assert.equal(plannedFrameCount(48, 0, 'backward'), 0, 'the engine yields nothing backward from frame 0');
  assert.equal(plannedFrameCount(48, 21, 'backward'), 22);
  assert.equal(plannedFrameCount(48, 21, 'both'), 48, 'the start frame counts once');
  assert.equal(plannedFrameCount(48, 21, 'both', 4), 9);
});

test('job options: defaults, export aliases, bad values refused', () => {
  assert.deepEqual(readJobOptions({}), { direction: 'forward', outputs: [] });
  assert.deepEqual(readJobOptions({ outputs: ['davis', 'COCO_JSON', 'overlay_mp4', 'coco'], extra: 1 }).outputs, ['DAVIS_PNG_ZIP', 'COCO_JSON', 'OVERLAY_MP4']);
  assert.throws(() => readJobOptions({ direction: 'sideways' }), /direction/);
  assert.throws(() => readJobOptions({ outputs: ['gif'] }), /unknown output "gif"/);
});
