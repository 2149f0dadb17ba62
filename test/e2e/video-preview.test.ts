// Starting from a video, before any job: the tenant's videos listed page by page, and the instant
// preview of a prompt, which must be exactly what round 1 of the job submitted with that prompt
// computes on the prompted frame (same RLE), and must refuse bad input with a 4xx naming the problem.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromCocoRle, jaccard } from '@masklet/masks';
import { testClip, truthMask } from '../worker/support';
import { apiFor, type Api } from '../rounds/support';
import { startStack, type Stack } from './stack';

const FRAMES = 12;
const PROMPT_FRAME = 4;
let stack: Stack;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' });
});
after(async () => {
  await stack?.close();
});

/** The tight box around an object's true mask on a frame, as a job prompt box. */
async function truthBox(
  clip: Awaited<ReturnType<typeof testClip>>,
  objectId: number,
  frame: number,
): Promise<{ x0: number; y0: number; x1: number; y1: number }> {
  const m = await truthMask(clip, objectId, frame);
  const { width } = clip.meta;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  m.forEach((v, i) => {
    if (!v) return;
    const x = i % width,
      y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  });
  return { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

function errorCode(body: unknown): string {
  return (body as { error: { code: string } }).error.code;
}

test("GET /v1/videos lists only the tenant's videos, newest first, page by page", async () => {
  const clip = await testClip(FRAMES, 2, 'video-preview');
  const mine = await apiFor(stack, 'videos-mine');
  const other = await apiFor(stack, 'videos-other');
  const a = await mine.client.uploadVideo(clip.mp4Path!);
  const b = await mine.client.uploadVideo(clip.mp4Path!);
  await other.client.uploadVideo(clip.mp4Path!);
  const page1 = await mine.call<{ items: { id: string; frameCount: number }[]; nextCursor: string | null }>(
    'GET',
    '/v1/videos?limit=1',
  );
  assert.equal(page1.status, 200, JSON.stringify(page1.body));
  assert.deepEqual(
    page1.body.items.map((v) => v.id),
    [b.id],
  );
  assert.equal(page1.body.items[0]!.frameCount, FRAMES);
  assert.ok(page1.body.nextCursor);
  const page2 = await mine.call<{ items: { id: string }[]; nextCursor: string | null }>(
    'GET',
    `/v1/videos?limit=1&cursor=${page1.body.nextCursor}`,
  );
  assert.deepEqual(
    page2.body.items.map((v) => v.id),
    [a.id],
  );
  const all = await mine.call<{ items: { id: string }[]; nextCursor: string | null }>('GET', '/v1/videos?status=READY');
  assert.deepEqual(
    all.body.items.map((v) => v.id),
    [b.id, a.id],
    "the other tenant's video is not listed",
  );
  assert.equal(all.body.nextCursor, null);
  const bad = await mine.call('GET', '/v1/videos?cursor=nonsense');
  assert.equal(bad.status, 400);
  assert.equal(errorCode(bad.body), 'INVALID_CURSOR');
  const badLimit = await mine.call('GET', '/v1/videos?limit=0');
  assert.equal(badLimit.status, 400);
});

test('a video preview (click, box) equals what round 1 of the submitted job computes on that frame', async () => {
  const clip = await testClip(FRAMES, 2, 'video-preview');
  const api: Api = await apiFor(stack, 'video-preview');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  const [cx, cy] = clip.meta.objects[0]!.clicks[PROMPT_FRAME]!;
  const click = { frame: PROMPT_FRAME, points: [{ x: cx, y: cy, label: 1 as const }] };
  const box = { frame: PROMPT_FRAME, box: await truthBox(clip, 2, PROMPT_FRAME) };

  const p1 = await api.call<{
    rle: { size: [number, number]; counts: string };
    area: number;
    round: null;
    score: number;
  }>('POST', `/v1/videos/${video.id}/preview`, { objectId: 1, ...click });
  assert.equal(p1.status, 200, JSON.stringify(p1.body));
  assert.equal(p1.body.round, null);
  assert.deepEqual(p1.body.rle.size, [clip.meta.height, clip.meta.width]);
  const truth1 = {
    width: clip.meta.width,
    height: clip.meta.height,
    data: (await truthMask(clip, 1, PROMPT_FRAME)).map((v) => (v ? 1 : 0)),
  };
  assert.ok(jaccard(fromCocoRle(p1.body.rle), truth1) > 0.7, 'the click preview covers the clicked object');
  // Previews leave nothing behind: the same prompt again (and after another object's) gives the same mask.
  const p2 = await api.call<{ rle: { counts: string } }>('POST', `/v1/videos/${video.id}/preview`, {
    objectId: 2,
    ...box,
  });
  assert.equal(p2.status, 200, JSON.stringify(p2.body));
  const p1again = await api.call<{ rle: { counts: string } }>('POST', `/v1/videos/${video.id}/preview`, {
    objectId: 1,
    ...click,
  });
  assert.equal(p1again.body.rle.counts, p1.body.rle.counts);
  // A negative click added to the positive one changes the answer (all clicks so far are one prompt).
  const neg = await api.call<{ area: number }>('POST', `/v1/videos/${video.id}/preview`, {
    objectId: 1,
    frame: PROMPT_FRAME,
    points: [...click.points, { x: cx + 3, y: cy, label: 0 }],
  });
  assert.equal(neg.status, 200);
  assert.notEqual(neg.body.area, p1.body.area);

  const job = await api.client.createJob({
    videoId: video.id,
    objects: [
      { id: 1, label: 'disc', prompts: [click] },
      { id: 2, label: 'box', prompts: [box] },
    ],
    options: { direction: 'both' },
  });
  assert.equal((await api.client.waitForJob(job.id)).status, 'SUCCEEDED');
  const masks = await api.client.masklets(job.id, PROMPT_FRAME, PROMPT_FRAME + 1);
  const stored = masks.frames[0]!.objects;
  assert.equal(
    stored.find((o) => o.objectId === 1)!.rle.counts,
    p1.body.rle.counts,
    'object 1 on the prompted frame is the click preview, bit for bit',
  );
  assert.equal(
    stored.find((o) => o.objectId === 2)!.rle.counts,
    p2.body.rle.counts,
    'object 2 on the prompted frame is the box preview, bit for bit',
  );
});

test('a video preview refuses bad input with a 4xx naming the problem', async () => {
  const clip = await testClip(FRAMES, 2, 'video-preview');
  const api = await apiFor(stack, 'video-preview-bad');
  const video = await api.client.uploadVideo(clip.mp4Path!);
  const { width, height } = clip.meta;
  const cases: [unknown, number, string][] = [
    [{ frame: FRAMES, objectId: 1, points: [{ x: 5, y: 5, label: 1 }] }, 422, 'FRAME_OUT_OF_RANGE'],
    [{ frame: 0, objectId: 1, points: [{ x: width, y: 5, label: 1 }] }, 422, 'POINT_OUTSIDE_FRAME'],
    [{ frame: 0, objectId: 1, box: { x0: 10, y0: 10, x1: width + 5, y1: 20 } }, 422, 'BOX_OUTSIDE_FRAME'],
    [{ frame: 0, objectId: 1, box: { x0: 30, y0: 10, x1: 20, y1: 20 } }, 400, 'VALIDATION_FAILED'],
    [{ frame: 0, objectId: 1 }, 400, 'EMPTY_PROMPT'],
    [{ frame: 0, objectId: 1, points: [{ x: 5, y: 5, label: 2 }] }, 400, 'VALIDATION_FAILED'],
    [{ frame: 0, objectId: 1, points: [{ x: 5, y: 5, label: 1 }], mask: {} }, 400, 'UNKNOWN_FIELD'],
  ];
  for (const [body, status, code] of cases) {
    const r = await api.call('POST', `/v1/videos/${video.id}/preview`, body);
    assert.equal(r.status, status, `${JSON.stringify(body)} -> ${JSON.stringify(r.body)}`);
    assert.equal(errorCode(r.body), code, JSON.stringify(r.body));
  }
  const outside = await api.call<{ error: { message: string } }>('POST', `/v1/videos/${video.id}/preview`, {
    frame: FRAMES + 3,
    objectId: 1,
    points: [{ x: 5, y: height, label: 1 }],
  });
  assert.match(outside.body.error.message, new RegExp(`frame ${FRAMES + 3} is outside the video`));
  const other = await apiFor(stack, 'video-preview-stranger');
  const stranger = await other.call('POST', `/v1/videos/${video.id}/preview`, {
    frame: 0,
    objectId: 1,
    points: [{ x: 5, y: 5, label: 1 }],
  });
  assert.equal(stranger.status, 404);
  assert.equal(errorCode(stranger.body), 'VIDEO_NOT_FOUND');
});
