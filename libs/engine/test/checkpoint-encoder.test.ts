import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { captureCheckpoint, CheckpointEncoder, encodeCheckpoint, restoreSession, VideoSession } from '../src';
import { clip, referenceModel, truthMask } from './support';

after(async () => (await referenceModel()).release());

/** Niceness of every thread of this process (Linux), by thread id. */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

test('the encoder thread writes the same bytes as the in-process encoder, from a reniced thread, and the result restores', async () => {
  const source = clip({ frames: 12, scenario: { objects: 2 } });
  const session = new VideoSession(await referenceModel(), source);
  for (const id of [1, 2]) await session.addMask(0, id, truthMask(source, 0, id));
  for await (const _ of session.propagate()) void _;
  const captured = await captureCheckpoint(session);
  const encoder = new CheckpointEncoder({ nice: 7, onFallback: (reason) => assert.fail(`fell back: ${reason}`) });
  try {
    const before = threadNiceness().filter((n) => n === 7).length;
    const threaded = await encoder.encode(captured);
    assert.equal(threadNiceness().filter((n) => n === 7).length, before + 1, 'one thread runs at niceness 7');
    const local = await encodeCheckpoint(captured);
    assert.ok(threaded.data.equals(local.data), 'identical segment bytes');
    assert.deepEqual(threaded.summary, local.summary);
    const restored = await restoreSession(await referenceModel(), source, threaded.data);
    assert.deepEqual([...restored.tracks.keys()].sort(), [1, 2]);
    await restored.close();
  } finally {
    await encoder.close();
    await session.close();
  }
});

test('a closed encoder still encodes, in process', async () => {
  const source = clip({ frames: 3, scenario: { objects: 1 } });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const captured = await captureCheckpoint(session);
  const encoder = new CheckpointEncoder();
  await encoder.close();
  const out = await encoder.encode(captured);
  assert.ok(out.data.equals((await encodeCheckpoint(captured)).data));
  await session.close();
});
