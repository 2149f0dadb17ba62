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
  for await (const r of part.session.propagate({ maxFrames: 19 }))
    assert.deepEqual(
      r.objects.map((o) => o.rle.counts),
      expected[r.frame],
    );
  const dir = await mkdtemp(join(tmpdir(), 'masklet-ckpt-'));
  try {
    const { data, summary } = await checkpointSession(part.session);
    assert.ok(summary.bytes < summary.rawBytes, 'the checkpoint is compressed');
    assert.equal(summary.perObject.length, 2);
    await part.session.close();
    await writeFile(join(dir, 'state.ckpt'), data);
    const child = join(__dirname, 'checkpoint-child.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, '20', join(dir, 'state.ckpt')], {
      maxBuffer: 64 << 20,
    });
    const resumed = JSON.parse(stdout) as Record<number, number[][]>;
    for (let f = 20; f < 40; f++) assert.deepEqual(resumed[f], expected[f], `frame ${f} differs after restore`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('incremental checkpoints: each segment holds only new outputs; the chain restores a correction bit-identically', async () => {
  const { session, source } = await prompted();
  const dir = await mkdtemp(join(tmpdir(), 'masklet-ckpt-'));
  try {
    const files: string[] = [];
    const segments: Awaited<ReturnType<typeof checkpointSession>>[] = [];
    const full = { bytes: 0 };
    for await (const r of session.propagate()) {
      if (r.frame % 10 !== 9) continue;
      const seg = await checkpointSession(session, { incremental: true });
      segments.push(seg);
      files.push(join(dir, `seg-${files.length}.ckpt`));
      await writeFile(files[files.length - 1]!, seg.data);
      if (r.frame === 39) full.bytes = (await checkpointSession(session)).summary.bytes;
    }
    assert.equal(segments.length, 4);
    // Segment k writes the frames tracked since segment k-1 and lists the earlier ones (frames 1..10k-1;
    // frame 0 is a conditioning frame, written every time) as external.
    for (const [k, seg] of segments.entries()) {
      for (const o of seg.summary.perObject)
        assert.equal(o.external, k === 0 ? 0 : 10 * k - 1, `segment ${k} object ${o.objectId}`);
    }
    const last = segments[3]!.summary.bytes;
    assert.ok(last < full.bytes / 2, `last segment ${last} B should be well under a full checkpoint ${full.bytes} B`);

    // A negative click on frame 5 refines from frame 5's stored logits and re-tracks from there: it
    // needs outputs that only the first segment holds.
    const c = source.truth(5)[0]!.click!;
    const clickArg = `5,1,${c[0]},${c[1]},0`;
    await session.addPoints(5, 1, [{ x: c[0], y: c[1], label: 0 }]);
    const expected: Record<number, number[][]> = {};
    for await (const r of session.propagate({ startFrame: 5 })) expected[r.frame] = r.objects.map((o) => o.rle.counts);
    const child = join(__dirname, 'checkpoint-child.ts');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, '--click', clickArg, '5', ...files], {
      maxBuffer: 64 << 20,
    });
    assert.deepEqual(JSON.parse(stdout), expected);
    await assert.rejects(
      restoreSession(await referenceModel(), source, [segments[0]!.data, segments[3]!.data]),
      /chain lacks/,
    );
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('restore rejects a checkpoint for another video or a corrupt one', async () => {
  const { session } = await prompted();
  for await (const _ of session.propagate({ maxFrames: 3 })) void _;
  const { data } = await checkpointSession(session);
  await session.close();
  await assert.rejects(
    restoreSession(await referenceModel(), clip({ frames: 41 }), data),
    /checkpoint is for a 320x192 video of 40 frames/,
  );
  const corrupt = Buffer.from(data);
  corrupt[corrupt.length - 5] = corrupt[corrupt.length - 5]! ^ 0xff;
  await assert.rejects(
    restoreSession(await referenceModel(), clip({ frames: 40, scenario: { objects: 3 } }), corrupt),
    /corrupt/,
  );
  await assert.rejects(restoreSession(await referenceModel(), clip({ frames: 40 }), Buffer.from('nope')), /bad magic/);
});
