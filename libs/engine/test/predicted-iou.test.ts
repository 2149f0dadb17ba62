// The predicted IoU of the chosen mask reaches FrameResult and survives checkpoints; a version-3
// checkpoint (written before frame outputs carried it) still restores, with the IoU unknown.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { captureCheckpoint, CHECKPOINT_VERSION, checkpointSession, restoreSession, VideoSession } from '../src';
import { segmentBody, SEGMENT_PREFIX_BYTES, SEGMENT_MAGIC } from '../src/checkpoint/segment-codec';
import { frameOutputBytes } from '../src/state/frame-output';
import { clip, referenceModel, truthMask } from './support';

after(async () => (await referenceModel()).release());

const scenario = { frames: 12, scenario: { objects: 2 } };

async function prompted(): Promise<VideoSession> {
  const source = clip(scenario);
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const c = source.truth(0)[1]!.click!;
  const r = await session.addPoints(0, 2, [{ x: c[0], y: c[1], label: 1 }]);
  const clicked = r.objects.find((o) => o.objectId === 2)!;
  assert.ok(
    clicked.predictedIou !== null && clicked.predictedIou > 0 && clicked.predictedIou <= 1.5,
    `decoder IoU of a click: ${clicked.predictedIou}`,
  );
  assert.equal(r.objects.find((o) => o.objectId === 1)!.predictedIou, 1, 'a mask prompt is its own answer');
  return session;
}

/** The same state as a version-3 segment: every frame output without its IoU word. */
async function asVersion3(session: VideoSession): Promise<Buffer> {
  const captured = await captureCheckpoint(session);
  const size = frameOutputBytes(session.sizes);
  const blobs = captured.blobs.map((b) => (b.length === size ? Buffer.concat([b.subarray(0, 8), b.subarray(12)]) : b));
  const prefix = Buffer.alloc(SEGMENT_PREFIX_BYTES);
  SEGMENT_MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(3, 8);
  return Buffer.concat([prefix, deflateSync(segmentBody(JSON.stringify(captured.header), blobs))]);
}

test("tracked frames carry the chosen mask's predicted IoU, and a checkpoint keeps it", async () => {
  assert.equal(CHECKPOINT_VERSION, 4);
  const session = await prompted();
  const seen: number[] = [];
  for await (const r of session.propagate({ maxFrames: 5 })) {
    for (const o of r.objects) {
      assert.equal(typeof o.predictedIou, 'number', `frame ${r.frame} object ${o.objectId}`);
      if (r.frame > 0) seen.push(o.predictedIou!);
    }
  }
  assert.ok(new Set(seen).size > 1, "IoU differs between frames: it is the decoder's, not a constant");
  const before = session.tracks.get(2)!;
  const condIou = before.cond.get(0)!.iou;
  const lastIou = (await before.latestOutput(5))!.iou;
  const { data } = await checkpointSession(session);
  const source = clip(scenario);
  const restored = await restoreSession(await referenceModel(), source, data);
  try {
    assert.equal(restored.tracks.get(2)!.cond.get(0)!.iou, condIou);
    assert.equal((await restored.tracks.get(2)!.latestOutput(5))!.iou, lastIou);
  } finally {
    await restored.close();
  }

  const old = await asVersion3(session);
  await session.close();
  const fromOld = await restoreSession(await referenceModel(), clip(scenario), old);
  const fresh = await restoreSession(await referenceModel(), clip(scenario), data);
  try {
    assert.ok(Number.isNaN(fromOld.tracks.get(2)!.cond.get(0)!.iou), 'a version-3 output has no IoU');
    const a: unknown[] = [];
    const b: unknown[] = [];
    for await (const r of fromOld.propagate({ startFrame: 5 }))
      a.push(r.objects.map((o) => [o.rle.counts, o.objectScore, r.frame > 5 ? o.predictedIou : 'restored']));
    for await (const r of fresh.propagate({ startFrame: 5 }))
      b.push(r.objects.map((o) => [o.rle.counts, o.objectScore, r.frame > 5 ? o.predictedIou : 'restored']));
    assert.deepEqual(a, b, 'the same masks, scores and (recomputed) IoUs from either version');
  } finally {
    await fromOld.close();
    await fresh.close();
  }
});
