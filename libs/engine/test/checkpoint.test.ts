import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkpointSession, restoreSession, VideoSession } from '../src';
import { clip, referenceModel, truthMask } from './support';

const run = promisify(execFile);
after(async () => (await referenceModel()).release());

async function prompted(): Promise<{ session: VideoSession; source: ReturnType<typeof clip> }> {
  const source = clip({ frames: 40, scenario: { objects: 3 } });
  const session = new VideoSession(await referenceModel(), source);
  await session.addMask(0, 1, truthMask(source, 0, 1));
  const c = source.truth(0)[1]!.click!;
  await session.addPoints(0, 2, [{ x: c[0], y: c[1], label: 1 }]);
  return { session, source };
}

test('a checkpoint restored in a fresh process continues with bit-identical masks', async () => {
  const whole = await prompted();
  const expected: Record<number, number[][]> = {};
  for await (const r of whole.session.propagate()) expected[r.frame] = r.objects.map((o) => o.rle.counts);
  await whole.session.close();

  const part = await prompted();
  // Stop after frame 19, then add a third object on frame 19 so the checkpoint also carries an
  // unconsolidated prompt output and a memory the restored process must encode itself.
  for await (const r of part.session.propagate({ maxFrames: 19 })) assert.deepEqual(r.objects.map((o) => o.rle.counts), expected[r.frame]);
  const dir = await mkdtemp(join(tmpdir(), 'masklet-ckpt-'));
  try {
    const { data, summary } = await checkpointSession(part.session);
    assert.ok(summary.bytes < summary.rawBytes, 'the checkpoint is compressed');
    assert.equal(summary.perObject.length, 2);
    await part.session.close();
    await writeFile(join(dir, 'state.ckpt'), data);
    const child = join(__dirname, 'checkpoint-child.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, join(dir, 'state.ckpt'), '20'], { maxBuffer: 64 << 20 });
    const resumed = JSON.parse(stdout) as Record<number, number[][]>;
    for (let f = 20; f < 40; f++) assert.deepEqual(resumed[f], expected[f], `frame ${f} differs after restore`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('restore rejects a checkpoint for another video or a corrupt one', async () => {
  const { session } = await prompted();
  for await (const _ of session.propagate({ maxFrames: 3 })) void _;
  const { data } = await checkpointSession(session);
  await session.close();
  await assert.rejects(restoreSession(await referenceModel(), clip({ frames: 41 }), data), /checkpoint is for a 320x192 video of 40 frames/);
  const corrupt = Buffer.from(data);
  corrupt[corrupt.length - 5] = corrupt[corrupt.length - 5]! ^ 0xff;
  await assert.rejects(restoreSession(await referenceModel(), clip({ frames: 40, scenario: { objects: 3 } }), corrupt), /corrupt/);
  await assert.rejects(restoreSession(await referenceModel(), clip({ frames: 40 }), Buffer.from('nope')), /bad magic/);
});
