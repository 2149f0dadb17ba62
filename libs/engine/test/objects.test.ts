import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRle } from '@masklet/masks';
import { VideoSession } from '../src';
import { collect, clip, iouWithTruth, mean, referenceModel, truthMask } from './support';

after(async () => (await referenceModel()).release());

test('occlusion: an object that vanishes is reported absent, then found again when it returns', async () => {
  const source = clip({ frames: 40, scenario: { objects: 1, occlusion: { start: 14, end: 22 }, scaleChange: 0 } });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const results = await collect(session.propagate());
  const hidden = results.filter((r) => !source.truth(r.frame)[0]!.visible);
  assert.ok(hidden.length >= 5, `the scenario hides the object on ${hidden.length} frames`);
  const absent = hidden.filter((r) => r.objects[0]!.objectScore <= 0 && r.objects[0]!.area === 0);
  assert.ok(absent.length >= hidden.length * 0.8, `${absent.length}/${hidden.length} hidden frames reported absent`);
  const back = results.filter((r) => r.frame > 22 && source.truth(r.frame)[0]!.visible).slice(3);
  const ious = back.map((r) => iouWithTruth(source, r.frame, r.objects[0]!));
  assert.ok(mean(ious) > 0.6, `after it returns, mean IoU ${mean(ious).toFixed(3)}`);
  await session.close();
});

test('a new object added mid-video is tracked from there on, alongside the first', async () => {
  const source = clip({ frames: 30, scenario: { objects: 2, lateObject: { object: 1, frame: 10 } } });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  await collect(session.propagate({ maxFrames: 12 }));
  const click = source.truth(12)[1]!.click!;
  const prompt = await session.addPoints(12, 2, [{ x: click[0], y: click[1], label: 1 }]);
  assert.deepEqual(
    prompt.objects.map((o) => o.objectId),
    [1, 2],
  );
  const results = await collect(session.propagate({ startFrame: 12 }));
  for (const id of [1, 2]) {
    const ious = results.map((r) =>
      iouWithTruth(
        source,
        r.frame,
        r.objects.find((o) => o.objectId === id)!,
      ),
    );
    assert.ok(mean(ious) > 0.7, `object ${id} mean IoU ${mean(ious).toFixed(3)}`);
  }
  await session.close();
});

test('non-overlap: no pixel belongs to two objects, even when prompts overlap', async () => {
  const source = clip({ frames: 12 });
  const session = new VideoSession(await referenceModel(), source, { nonOverlap: true });
  const a = truthMask(source, 0, 1);
  // Object 2's prompt covers object 1 too, so without the constraint their masks would overlap.
  const b = truthMask(source, 0, 2);
  const union = { ...b, data: b.data.map((v, i) => v | a.data[i]!) };
  await session.addMask(0, 1, a);
  await session.addMask(0, 2, union);
  let overlapped = 0;
  for await (const r of session.propagate()) {
    const [m1, m2] = r.objects.map((o) => decodeRle(o.rle));
    for (let i = 0; i < m1!.data.length; i++) if (m1!.data[i] && m2!.data[i]) overlapped++;
  }
  assert.equal(overlapped, 0);
  await session.close();
});

test("clearing a frame's prompts, removing an object and resetting", async () => {
  const source = clip({ frames: 10 });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  await session.addMask(0, 2, truthMask(source, 0, 2));
  const cleared = await session.clearPrompts(0, 2);
  assert.equal(cleared.objects.find((o) => o.objectId === 2)!.area, 0, 'an un-propagated prompt leaves nothing behind');
  await assert.rejects(collect(session.propagate()), /object 2 has no prompt/);
  await session.removeObject(2);
  const results = await collect(session.propagate());
  assert.deepEqual(
    results[0]!.objects.map((o) => o.objectId),
    [1],
  );
  await session.reset();
  assert.equal(session.tracks.size, 0);
  await assert.rejects(collect(session.propagate()), /add a prompt/);
  await session.close();
});
