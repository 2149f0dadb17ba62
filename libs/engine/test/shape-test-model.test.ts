import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../../models/generator/ensure-model';
import { SamModel, VideoSession } from '../src';
import { clip } from './support';

test("graphs with SAM 2.1-tiny's exact shapes run end to end: click, box, mask, propagation", async () => {
  const model = await SamModel.load(await ensureModel('sam21-tiny-shaped'));
  const m = model.manifest;
  assert.deepEqual(
    [m.imageSize, m.hiddenDim, m.memoryDim, m.lowResMaskSize, ...m.featureSize],
    [1024, 256, 64, 256, 64, 64],
  );
  const source = clip({ frames: 4 });
  const session = new VideoSession(model, source);
  try {
    const p = await session.addPoints(0, 1, [{ x: 100, y: 80, label: 1 }]);
    assert.deepEqual(p.objects[0]!.rle.size, [192, 320]);
    await session.addBox(0, 2, { x0: 10, y0: 10, x1: 120, y1: 90 });
    await session.addMask(1, 3, { width: 320, height: 192, data: new Uint8Array(320 * 192).fill(1, 0, 320 * 40) });
    const frames: number[] = [];
    for await (const r of session.propagate({ startFrame: 0 })) {
      frames.push(r.frame);
      assert.equal(r.objects.length, 3);
      for (const o of r.objects)
        assert.equal(
          o.rle.counts.reduce((a, b) => a + b, 0),
          320 * 192,
        );
    }
    assert.deepEqual(frames, [0, 1, 2, 3]);
    const roles = model.timings.snapshot();
    for (const role of ['imageEncoder', 'memoryAttention', 'maskDecoder', 'memoryEncoder', 'maskPrompt'])
      assert.ok(roles[role]!.calls > 0, `${role} ran`);
  } finally {
    await session.close();
    await model.release();
  }
});
