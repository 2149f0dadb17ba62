import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRle } from '@masklet/masks';
import { VideoSession } from '../src';
import { collect, clip, iouWithTruth, mean, referenceModel, truthMask } from './support';

after(async () => (await referenceModel()).release());

test('forward: two objects prompted with masks on frame 0 are tracked through the clip', async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  for (const id of [1, 2]) await session.addMask(0, id, truthMask(source, 0, id));
  const results = await collect(session.propagate({ direction: 'forward' }));
  assert.deepEqual(
    results.map((r) => r.frame),
    Array.from({ length: 30 }, (_, i) => i),
  );
  for (const id of [1, 2]) {
    const ious = results.map((r) =>
      iouWithTruth(
        source,
        r.frame,
        r.objects.find((o) => o.objectId === id)!,
      ),
    );
    assert.ok(mean(ious) > 0.8, `object ${id} mean IoU ${mean(ious).toFixed(3)}`);
  }
  await session.close();
});

test('backward: a prompt on the last frame propagates to frame 0 in reverse order', async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(29, 1, truthMask(source, 29, 1));
  const results = await collect(session.propagate({ startFrame: 29, direction: 'backward' }));
  assert.deepEqual(
    results.map((r) => r.frame),
    Array.from({ length: 30 }, (_, i) => 29 - i),
  );
  assert.ok(results.every((r) => r.pass === 'backward'));
  const ious = results.map((r) => iouWithTruth(source, r.frame, r.objects[0]!));
  assert.ok(mean(ious) > 0.8, `mean IoU ${mean(ious).toFixed(3)}`);
  await session.close();
});

test('both: forward then backward from a middle prompt covers every frame; maxFrames bounds each pass', async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  await session.addPoints(15, 1, [{ x: source.truth(15)[0]!.click![0], y: source.truth(15)[0]!.click![1], label: 1 }]);
  const results = await collect(session.propagate({ startFrame: 15, direction: 'both' }));
  const forward = results.filter((r) => r.pass === 'forward').map((r) => r.frame);
  const backward = results.filter((r) => r.pass === 'backward').map((r) => r.frame);
  assert.deepEqual(
    forward,
    Array.from({ length: 15 }, (_, i) => 15 + i),
  );
  assert.deepEqual(
    backward,
    Array.from({ length: 16 }, (_, i) => 15 - i),
  );
  const ious = results.map((r) => iouWithTruth(source, r.frame, r.objects[0]!));
  assert.ok(mean(ious) > 0.7, `mean IoU ${mean(ious).toFixed(3)} from one click`);
  const bounded = await collect(session.propagate({ startFrame: 10, direction: 'forward', maxFrames: 4 }));
  assert.deepEqual(
    bounded.map((r) => r.frame),
    [10, 11, 12, 13, 14],
  );
  await session.close();
});

test("a negative click on a tracked frame refines with that frame's previous logits", async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const tracked = await collect(session.propagate({ maxFrames: 10 }));
  const before = tracked[10]!.objects[0]!;
  const box = before.bbox!;
  // A negative click on the object's own interior must shrink the mask, not restart from nothing.
  const click = source.truth(10)[0]!.click!;
  const refined = await session.addPoints(10, 1, [{ x: click[0], y: click[1], label: 0 }]);
  const after = refined.objects[0]!;
  assert.ok(after.area < before.area, `area ${after.area} should drop below ${before.area}`);
  assert.ok(after.area > 0 || box[2] < 4, 'refinement keeps the previous mask outside the click');
  await session.close();
});

test('bad input is rejected with a named error', async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  await assert.rejects(session.addPoints(30, 1, [{ x: 1, y: 1, label: 1 }]), /frame 30 is outside the video/);
  await assert.rejects(
    session.addMask(0, 1, { width: 10, height: 10, data: new Uint8Array(100) }),
    /mask is 10x10, the video is 320x192/,
  );
  await assert.rejects(collect(session.propagate()), /add a prompt before propagating/);
  await assert.rejects(session.addPoints(0, 1, [], { box: { x0: 5, y0: 5, x1: 2, y1: 9 } }), /x1 > x0/);
  await session.close();
});

test("a click on an already prompted frame after propagation replaces that frame's conditioning output", async () => {
  const source = clip({});
  const session = new VideoSession(await referenceModel(), source);
  const c = source.truth(0)[0]!.click!;
  await session.addPoints(0, 1, [{ x: c[0], y: c[1], label: 1 }]);
  const first = await collect(session.propagate({ maxFrames: 5 }));
  // A negative click inside the tracked mask, away from the positive one.
  const mask = decodeRle(first[0]!.objects[0]!.rle);
  let neg = { x: c[0], y: c[1], d: -1 };
  for (let y = 3; y < mask.height - 3; y++) {
    for (let x = 3; x < mask.width - 3; x++) {
      const at = (dx: number, dy: number) => mask.data[(y + dy) * mask.width + x + dx] === 1;
      if (!at(0, 0) || !at(-3, 0) || !at(3, 0) || !at(0, -3) || !at(0, 3)) continue;
      const d = (x - c[0]) ** 2 + (y - c[1]) ** 2;
      if (d > neg.d) neg = { x, y, d };
    }
  }
  const preview = await session.addPoints(0, 1, [{ x: neg.x, y: neg.y, label: 0 }], { clearOld: false });
  assert.ok(preview.objects[0]!.area < first[0]!.objects[0]!.area, 'the negative click shrinks the mask');
  const again = await collect(session.propagate({ startFrame: 0, maxFrames: 0 }));
  assert.equal(
    again[0]!.objects[0]!.area,
    preview.objects[0]!.area,
    'propagation keeps the corrected output, not the old one',
  );
  await session.close();
});
