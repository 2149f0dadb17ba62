// The annotator's loop over HTTP with a real worker: every committed correction equals the preview the
// annotator was shown for it (same RLE), later frames follow from it, frames it cannot reach stay as they
// were, and the whole history equals one uninterrupted engine session given the same prompts. The job
// covers exactly `maxFrames` frames in every view, whatever the rounds do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Box, Point } from '@masklet/engine';
import { fromCocoRle, type BinaryMask } from '@masklet/masks';
import { sharedModel, testClip, truthMask } from '../worker/support';
import { startStack, type Stack } from '../e2e/stack';
import {
  apiFor,
  diffMasks,
  toFrameMasks,
  uninterrupted,
  waitJob,
  waitVideo,
  type Api,
  type FrameMasks,
  type Step,
} from './support';

const FRAMES = 40;
const RANGE = 36;
let stack: Stack;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' });
});
after(async () => {
  await stack?.close();
});

type Correction = {
  frame: number;
  objectId: number;
  points?: Point[];
  box?: Box;
  mask?: { size: [number, number]; counts: number[] };
};

function bboxOf(labels: Uint8Array, width: number): Box {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  labels.forEach((v, i) => {
    if (!v) return;
    const x = i % width,
      y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + 1);
    y1 = Math.max(y1, y + 1);
  });
  return { x0, y0, x1, y1 };
}

function area(rle: string | undefined, size: [number, number]): number {
  if (rle === undefined) return 0;
  return fromCocoRle({ size, counts: rle }).data.reduce((a, v) => a + v, 0);
}

/** Frames (and objects) whose masks differ between two views, restricted to `frames`. */
function changed(a: FrameMasks, b: FrameMasks, frames: Iterable<number>): string[] {
  const out: string[] = [];
  for (const f of frames) for (const [id, rle] of a.get(f) ?? []) if (b.get(f)?.get(id) !== rle) out.push(`${f}:${id}`);
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('committed corrections equal their previews, later frames follow, and the job keeps its frames', async () => {
  const clip = await testClip(FRAMES, 3, 'corrections');
  const { width, height } = clip.meta;
  const size: [number, number] = [height, width];
  const api: Api = await apiFor(stack, 'corrections');
  const vid = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, vid.id);

  const first = (id: number) => {
    const o = clip.meta.objects[id - 1]!;
    const frame = o.clicks.findIndex((c) => c !== null);
    return { frame, point: { x: o.clicks[frame]![0], y: o.clicks[frame]![1], label: 1 as const } };
  };
  const [o1, o2, o3] = [first(1), first(2), first(3)];
  const start = Math.min(o1.frame, o2.frame);
  const end = start + RANGE - 1;
  assert.ok(end < FRAMES - 1, 'the job stops before the video does');

  const created = await api.call('POST', '/v1/jobs', {
    videoId: vid.id,
    objects: [
      { id: 1, label: 'disc', prompts: [{ frame: o1.frame, points: [o1.point] }] },
      { id: 2, label: 'box', prompts: [{ frame: o2.frame, points: [o2.point] }] },
    ],
    options: { direction: 'forward', maxFrames: RANGE },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body['id'] as string;
  assert.equal(created.body['framesTotal'], RANGE, 'maxFrames N is N frames from submission on');
  assert.deepEqual(created.body['frameRange'], { start, end });
  const r1 = await waitJob(api, jobId, 1);
  assert.equal(r1['status'], 'SUCCEEDED');
  assert.equal(r1['framesTotal'], RANGE);
  assert.equal(r1['framesDone'], RANGE);

  const steps: Step[] = [
    { kind: 'click', frame: o1.frame, objectId: 1, points: [o1.point] },
    { kind: 'click', frame: o2.frame, objectId: 2, points: [o2.point] },
    { kind: 'propagate', startFrame: start, direction: 'forward', maxFrames: RANGE - 1 },
  ];
  const views: FrameMasks[] = [];
  /** Per round, the index of the uninterrupted session's state after that round's last propagation. */
  const roundEnds: number[] = [];
  const endRound = (): void => {
    roundEnds.push(steps.filter((s) => s.kind === 'propagate').length - 1);
  };
  const view = async (round?: number): Promise<FrameMasks> =>
    toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets${round ? `?round=${round}` : ''}`)).body);
  views.push(await view());
  endRound();
  assert.deepEqual(
    [...views[0]!.keys()].sort((a, b) => a - b),
    range(start, end),
    'round 1 wrote exactly the job frames',
  );

  const preview = async (body: Correction): Promise<string> => {
    const r = await api.call<{ rle: { counts: string }; round: number }>('POST', `/v1/jobs/${jobId}/preview`, body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.rle.counts;
  };
  /** Commits a round, waits for it, and checks what the job looks like afterwards. */
  const commit = async (
    number: number,
    body: Record<string, unknown>,
  ): Promise<{ latest: FrameMasks; round: Record<string, any> }> => {
    const r = await api.call('POST', `/v1/jobs/${jobId}/rounds`, body);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body['number'], number);
    const job = await waitJob(api, jobId, number);
    assert.equal(job['status'], 'SUCCEEDED', JSON.stringify(job));
    assert.equal(job['framesTotal'], RANGE, 'the job view describes the job, not the round');
    assert.equal(job['framesDone'], RANGE);
    assert.deepEqual(job['frameRange'], { start, end });
    assert.equal((job['round'] as { number: number }).number, number);
    const latest = await view();
    assert.deepEqual(
      [...latest.keys()].sort((a, b) => a - b),
      range(start, end),
      `round ${number} stayed inside the job's frames`,
    );
    const rounds = (await api.call<{ items: Record<string, any>[] }>('GET', `/v1/jobs/${jobId}/rounds`)).body.items;
    return { latest, round: rounds[number - 1]! };
  };

  // Round 2: a negative click on a tracked frame of object 1, forward.
  const f2 = start + 10;
  const before2 = views[0]!;
  const neg: Correction = { frame: f2, objectId: 1, points: [{ ...clickOf(clip, 1, f2), label: 0 }] };
  const p2 = await preview(neg);
  assert.notEqual(p2, before2.get(f2)!.get(1), 'the negative click changes the mask in the preview');
  const done2 = await commit(2, { corrections: [neg] });
  assert.equal(done2.latest.get(f2)!.get(1), p2, 'round 2: the committed mask on the clicked frame is the preview');
  assert.deepEqual(
    changed(before2, done2.latest, range(start, f2 - 1)),
    [],
    'frames before the correction are untouched',
  );
  assert.ok(changed(before2, done2.latest, range(f2 + 1, end)).length > 0, 'later frames follow from the correction');
  assert.equal(done2.round['framesRecomputed'], end - f2 + 1);
  assert.ok(done2.round['meanIouDelta'] > 0, `meanIouDelta ${done2.round['meanIouDelta']}`);
  steps.push(
    { kind: 'click', frame: f2, objectId: 1, points: neg.points!, append: true },
    { kind: 'propagate', startFrame: f2, direction: 'forward', maxFrames: end - f2 },
  );
  views.push(done2.latest);
  endRound();

  // Round 3: a box on a tracked frame of object 2, backward.
  const f3 = start + 18;
  const box = bboxOf(await truthMask(clip, 2, f3), width);
  const boxed: Correction = { frame: f3, objectId: 2, box };
  const p3 = await preview(boxed);
  const done3 = await commit(3, { corrections: [boxed], direction: 'backward' });
  assert.equal(done3.latest.get(f3)!.get(2), p3, 'round 3: the committed box mask is the preview');
  assert.deepEqual(
    changed(done2.latest, done3.latest, range(f3 + 1, end)),
    [],
    'a backward round leaves later frames alone',
  );
  assert.equal(done3.round['framesRecomputed'], f3 - start + 1);
  steps.push(
    { kind: 'box', frame: f3, objectId: 2, box },
    { kind: 'propagate', startFrame: f3, direction: 'backward', maxFrames: f3 - start },
  );
  views.push(done3.latest);
  endRound();

  // Round 4: another click on object 1's prompted (conditioning) frame, both ways.
  const again: Correction = { frame: o1.frame, objectId: 1, points: [{ ...clickOf(clip, 1, o1.frame), label: 1 }] };
  const p4 = await preview(again);
  const done4 = await commit(4, { corrections: [again], direction: 'both' });
  assert.equal(
    done4.latest.get(o1.frame)!.get(1),
    p4,
    'round 4: a click on a prompted frame replaces its output with the preview',
  );
  steps.push(
    { kind: 'click', frame: o1.frame, objectId: 1, points: again.points!, append: true },
    { kind: 'propagate', startFrame: o1.frame, direction: 'forward', maxFrames: end - o1.frame },
  );
  if (o1.frame > start)
    steps.push({ kind: 'propagate', startFrame: o1.frame, direction: 'backward', maxFrames: o1.frame - start });
  views.push(done4.latest);
  endRound();

  // Round 5: object 3 is added, object 2 removed.
  const f5 = Math.max(o3.frame, start);
  const p5 = await api.call<{ rle: { counts: string } }>('POST', `/v1/jobs/${jobId}/preview`, {
    frame: f5,
    objectId: 3,
    points: [{ ...clickOf(clip, 3, f5), label: 1 }],
  });
  assert.equal(p5.status, 200, JSON.stringify(p5.body));
  const done5 = await commit(5, {
    addObjects: [
      { id: 3, label: 'ellipse', prompts: [{ frame: f5, points: [{ ...clickOf(clip, 3, f5), label: 1 }] }] },
    ],
    removeObjects: [2],
  });
  assert.equal(done5.latest.get(f5)!.get(3), p5.body.rle.counts, 'round 5: the new object starts from its preview');
  for (const [f, m] of done5.latest) {
    assert.ok(!m.has(2), `object 2 is gone from frame ${f}`);
    assert.equal(m.has(3), f >= f5, `object 3 exists from frame ${f5} on (frame ${f})`);
  }
  assert.deepEqual(
    changed(done4.latest, done5.latest, range(start, end)).filter((k) => !k.endsWith(':2')),
    [],
    'object 1 is untouched by adding 3 and removing 2',
  );
  steps.push(
    { kind: 'remove', objectId: 2 },
    { kind: 'click', frame: f5, objectId: 3, points: [{ ...clickOf(clip, 3, f5), label: 1 }] },
    { kind: 'propagate', startFrame: f5, direction: 'forward', maxFrames: end - f5 },
  );
  views.push(done5.latest);
  endRound();

  // Round 6: object 1 marked absent on a tracked frame (an empty mask); round 7: a click on that frame, where it is absent, brings it back.
  const f6 = start + 22;
  const empty = { size, counts: [width * height] };
  const done6 = await commit(6, { corrections: [{ frame: f6, objectId: 1, mask: empty }] });
  assert.equal(area(done6.latest.get(f6)!.get(1), size), 0, 'round 6: object 1 is absent where the annotator said so');
  const emptyMask: BinaryMask = { width, height, data: new Uint8Array(width * height) };
  steps.push(
    { kind: 'mask', frame: f6, objectId: 1, mask: emptyMask },
    { kind: 'propagate', startFrame: f6, direction: 'forward', maxFrames: end - f6 },
  );
  views.push(done6.latest);
  endRound();

  // The tracker may pick the object up again on later frames by itself; on f6 it is absent for sure.
  const f7 = f6;
  const back: Correction = { frame: f7, objectId: 1, points: [{ ...clickOf(clip, 1, f7), label: 1 }] };
  const p7 = await preview(back);
  assert.ok(area(p7, size) > 0, 'the preview brings object 1 back');
  const done7 = await commit(7, { corrections: [back] });
  assert.equal(done7.latest.get(f7)!.get(1), p7, 'round 7: the re-appearing object is the preview');
  assert.deepEqual(changed(done6.latest, done7.latest, range(start, f7 - 1)), []);
  steps.push(
    { kind: 'click', frame: f7, objectId: 1, points: back.points!, append: true },
    { kind: 'propagate', startFrame: f7, direction: 'forward', maxFrames: end - f7 },
  );
  views.push(done7.latest);
  endRound();

  // Bad input leaves nothing behind: outside the job's frames, a removed object.
  const promptsBefore = await stack.env.prisma.prompt.count({ where: { jobId } });
  const outside = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [{ frame: end + 1, objectId: 1, points: [{ x: 5, y: 5, label: 1 }] }],
  });
  assert.equal(outside.status, 422);
  assert.equal((outside.body['error'] as { code: string }).code, 'FRAME_OUT_OF_RANGE');
  assert.match(JSON.stringify(outside.body), new RegExp(`outside the job's frames ${start}\\.\\.${end}`));
  const removed = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [{ frame: f2, objectId: 2, points: [{ x: 5, y: 5, label: 1 }] }],
  });
  assert.equal(removed.status, 422);
  assert.equal((removed.body['error'] as { code: string }).code, 'OBJECT_REMOVED');
  assert.equal(await stack.env.prisma.prompt.count({ where: { jobId } }), promptsBefore);
  assert.equal(await stack.env.prisma.round.count({ where: { jobId } }), 7);

  // Every round's state equals one uninterrupted session given the same prompts and propagations.
  const expected = await uninterrupted(await sharedModel(), clip, steps);
  for (const [i, at] of roundEnds.entries()) {
    assert.deepEqual(
      diffMasks(await view(i + 1), expected[at]!),
      [],
      `round ${i + 1} equals the uninterrupted session`,
    );
  }
  // Tracks describe the job: its range, and a marker for every prompt of every round.
  const tracks = (
    await api.call<{
      frameRange: { start: number; end: number };
      objects: { id: number; prompts: { frame: number; round: number }[] }[];
    }>('GET', `/v1/jobs/${jobId}/tracks`)
  ).body;
  assert.deepEqual(tracks.frameRange, { start, end });
  const markers1 = tracks.objects
    .find((o) => o.id === 1)!
    .prompts.map((p) => `${p.round}@${p.frame}`)
    .sort();
  assert.deepEqual(markers1, [`1@${o1.frame}`, `2@${f2}`, `4@${o1.frame}`, `6@${f6}`, `7@${f7}`].sort());
});

/** The clip's known interior point of an object on a frame. */
function clickOf(
  clip: Awaited<ReturnType<typeof testClip>>,
  objectId: number,
  frame: number,
): { x: number; y: number } {
  const c = clip.meta.objects[objectId - 1]!.clicks[frame];
  assert.ok(c, `object ${objectId} is visible on frame ${frame}`);
  return { x: c[0], y: c[1] };
}
