/**
 * Re-detection after loss with the reference model: a disc whose visible part jumps across a crossing
 * occluder is lost for a frame; the search that follows covers the whole frame, so it must find the
 * disc again, not the larger background patch nearest to the disc's edge colours (a synthetic clip of
 * the e2e tests, mask-prompted with its exact masks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VideoSession } from '../src';
import { clip, collect, iouWithTruth, mean, referenceModel, truthMask } from './support';

test('an object lost behind a crossing occluder is found again, not a look-alike background patch', async () => {
  const model = await referenceModel();
  const source = clip({ width: 320, height: 240, frames: 16, seed: 'e2e-crash', scenario: { objects: 2 } });
  const session = new VideoSession(model, source);
  try {
    for (const id of [1, 2]) await session.addMask(0, id, truthMask(source, 0, id));
    const results = await collect(session.propagate({ startFrame: 0, direction: 'forward' }));
    const disc = results.slice(8).map((r) =>
      iouWithTruth(
        source,
        r.frame,
        r.objects.find((o) => o.objectId === 1)!,
      ),
    );
    assert.ok(mean(disc) > 0.8, `disc IoU after it is found again: ${disc.map((v) => v.toFixed(2)).join(' ')}`);
  } finally {
    await session.close();
    await model.release();
  }
});
