// The engine thread against the engine on the calling thread, on the same clip and prompts: the same
// masks frame by frame and the same checkpoint bytes at every chunk boundary, a resume in the thread
// from those bytes that continues identically, previews that answer alike and leave the session as it was,
// a run left early that stops and frees its session, and engine errors that keep their class across the
// thread boundary.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCheckpoint, EngineInputError, parseProviders, type FrameResult } from '@masklet/engine';
import { openVideoFile, type SyntheticClipResult } from '@masklet/video';
import type { Engine, EngineSession, RunOptions } from '../../apps/worker/src/engine/engine-port';
import { InlineEngine } from '../../apps/worker/src/engine/inline-engine';
import { ThreadEngine } from '../../apps/worker/src/engine/thread-engine';
import { createLogger } from '../../apps/worker/src/runtime/logger';
import { ensureModel } from '../../models/generator/ensure-model';
import { sharedModel, testClip } from './support';

const FRAMES = 40;
const CHUNK = 16;
const OPTIONS = { nonOverlap: false, correctionsAsConditioning: true };

interface Opened {
  session: EngineSession;
  close(): Promise<void>;
}

async function open(engine: Engine, clip: SyntheticClipResult, chain?: Buffer[]): Promise<Opened> {
  const source = await openVideoFile(clip.mp4Path!);
  const session = await engine.open(source, OPTIONS, chain);
  return {
    session,
    close: async () => {
      await session.close();
      await source.close();
    },
  };
}

async function clickAll(session: EngineSession, clip: SyntheticClipResult): Promise<void> {
  for (const o of clip.meta.objects) {
    const [x, y] = o.clicks[0]!;
    await session.addPoints(0, o.id, [{ x, y, label: 1 }]);
  }
}

interface Traced {
  frames: FrameResult[];
  boundaries: number[];
  /** Encoded incremental captures at the boundaries `capture` picked, in order. */
  segments: Buffer[];
}

async function trace(
  session: EngineSession,
  options: RunOptions,
  capture: (frame: number) => boolean,
): Promise<Traced> {
  const out: Traced = { frames: [], boundaries: [], segments: [] };
  const run = session.propagate(options);
  for await (const { result, boundary } of run) {
    out.frames.push(result);
    if (!boundary) continue;
    out.boundaries.push(result.frame);
    const captured = await run.boundary(capture(result.frame));
    if (captured) out.segments.push((await encodeCheckpoint(captured)).data);
  }
  return out;
}

const forward = (startFrame: number): RunOptions => ({
  startFrame,
  direction: 'forward',
  maxFrames: FRAMES - 1 - startFrame,
  end: FRAMES - 1,
  chunkFrames: CHUNK,
});

describe('engine thread', () => {
  let thread: ThreadEngine;
  let inline: InlineEngine;
  let clip: SyntheticClipResult;
  let reference: Traced;

  before(async () => {
    clip = await testClip(FRAMES, 2, 'engine-thread');
    inline = new InlineEngine(await sharedModel());
    const runtime = { providers: parseProviders(process.env.MASKLET_PROVIDERS) };
    thread = await ThreadEngine.start({
      manifestPath: await ensureModel('reference'),
      runtime,
      log: createLogger('warn', 'engine-thread-test'),
    });
    const a = await open(inline, clip);
    await clickAll(a.session, clip);
    reference = await trace(a.session, forward(0), (f) => f !== 31);
    reference.segments.push((await encodeCheckpoint(await a.session.capture())).data);
    await a.close();
  });
  after(async () => {
    await thread?.close();
  });

  test('masks and checkpoint bytes equal the inline engine, boundary by boundary', async () => {
    assert.equal(thread.modelName, inline.modelName);
    const b = await open(thread, clip);
    await clickAll(b.session, clip);
    const got = await trace(b.session, forward(0), (f) => f !== 31);
    got.segments.push((await encodeCheckpoint(await b.session.capture())).data);
    await b.close();
    assert.deepEqual(got.boundaries, [15, 31, 39]);
    assert.deepEqual(reference.boundaries, [15, 31, 39]);
    assert.equal(got.frames.length, FRAMES);
    assert.deepEqual(got.frames, reference.frames);
    assert.equal(got.segments.length, 3);
    got.segments.forEach((s, i) => assert.ok(s.equals(reference.segments[i]!), `segment ${i} differs`));
    assert.ok(
      Object.values(thread.timings()).some((t) => t.calls > 0),
      'the thread reports its role timings',
    );
  });

  test('a session restored in the thread from the first segment continues exactly as the uninterrupted run', async () => {
    const r = await open(thread, clip, [reference.segments[0]!]);
    const got = await trace(r.session, forward(16), () => false);
    await r.close();
    assert.deepEqual(got.frames, reference.frames.slice(16));
    assert.deepEqual(got.boundaries, [31, 39]);
  });

  test('a preview answers as on the inline engine and leaves the session as it was', async () => {
    const [x, y] = clip.meta.objects[0]!.clicks[20] ?? clip.meta.objects[0]!.clicks[0]!;
    const refine = {
      frame: 20,
      objectId: 1,
      points: [{ x, y, label: 0 as const }],
      box: null,
      mode: 'refine' as const,
    };
    const fresh = { frame: 20, objectId: 9, points: [{ x, y, label: 1 as const }], box: null, mode: 'fresh' as const };
    const answers: FrameResult[][] = [];
    for (const engine of [inline, thread]) {
      const r = await open(engine, clip, [reference.segments[0]!]);
      answers.push([await r.session.preview(refine), await r.session.preview(fresh), await r.session.preview(refine)]);
      // Nothing of either preview stays: the run from the restored state is the uninterrupted one.
      const got = await trace(r.session, forward(16), () => false);
      await r.close();
      assert.deepEqual(got.frames, reference.frames.slice(16), `${engine.kind}: the session changed`);
    }
    const [a, b] = answers as [FrameResult[], FrameResult[]];
    assert.deepEqual(b, a);
    assert.deepEqual(a[2], a[0], 'the same preview twice is the same answer');
    assert.ok(a[1]!.objects.some((o) => o.objectId === 9 && o.area > 0));
  });

  test('leaving a run early stops the thread at a frame; the session takes the next call', async () => {
    const c = await open(thread, clip);
    await clickAll(c.session, clip);
    const seen: number[] = [];
    for await (const { result } of c.session.propagate(forward(0))) {
      seen.push(result.frame);
      if (result.frame === 3) break;
    }
    assert.deepEqual(seen, [0, 1, 2, 3]);
    // Not "session_busy": the run has ended in the thread.
    const again = await trace(c.session, { ...forward(30), maxFrames: 2 }, () => false);
    assert.deepEqual(
      again.frames.map((f) => f.frame),
      [30, 31, 32],
    );
    assert.deepEqual(again.boundaries, [31]);
    await c.close();
  });

  test("the engine's input errors arrive as EngineInputError with their code", async () => {
    const d = await open(thread, clip);
    await assert.rejects(
      d.session.addPoints(FRAMES + 5, 1, [{ x: 1, y: 1, label: 1 }]),
      (err: unknown) => err instanceof EngineInputError && err.code === 'frame_out_of_range',
    );
    await assert.rejects(
      trace(d.session, forward(0), () => false),
      (err: unknown) => err instanceof EngineInputError && err.code === 'no_objects',
    );
    assert.deepEqual(await d.session.removeObjects([7]), []);
    await d.close();
  });
});
