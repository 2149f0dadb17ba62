import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { CHUNK_FORMAT, chunkKey, encodeChunk, packTrackStats } from '@masklet/masklets';
import { createMask, readMaskPng, toCocoRle } from '@masklet/masks';
import { fairPriority, segmentJobId, segmentQueueName } from '@masklet/queue';
import { call, jobBody, startApi, uploadClip, type TestApi } from './helpers';

let api: TestApi;
let video: { id: string; width: number; height: number; frameCount: number };
let segment: Queue;
before(async () => {
  api = await startApi('jobs');
  video = await uploadClip(api);
  segment = new Queue(segmentQueueName('masklet-reference'), { connection: api.redis });
});
after(async () => {
  await segment?.close();
  await api?.close();
});

test('a job is stored with objects, prompts and round 1, and queued with its fair priority', async () => {
  const body = jobBody(video.id, {
    objects: [
      {
        id: 1,
        label: 'a',
        prompts: [
          {
            frame: 2,
            points: [
              { x: 10, y: 10, label: 1 },
              { x: 50, y: 60, label: 0 },
            ],
          },
        ],
      },
      {
        id: 7,
        prompts: [
          { frame: 3, box: { x0: 5, y0: 5, x1: 60, y1: 50 } },
          { frame: 9, mask: { size: [120, 160], counts: maskCounts() } },
        ],
      },
    ],
    options: { direction: 'both', outputs: ['coco_json'] },
    priority: 8,
  });
  const r = await call(api, 'POST', '/v1/jobs', { json: body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'QUEUED');
  assert.equal(r.body.priority, 8);
  assert.equal(r.body.framesTotal, 30);
  assert.equal(r.body.options.startFrame, 2);
  const id = r.body.id;
  const [objects, prompts, rounds] = await Promise.all([
    api.prisma.jobObject.findMany({ where: { jobId: id }, orderBy: { objectId: 'asc' } }),
    api.prisma.prompt.findMany({ where: { jobId: id }, orderBy: { frame: 'asc' } }),
    api.prisma.round.findMany({ where: { jobId: id } }),
  ]);
  assert.deepEqual(
    objects.map((o) => [o.objectId, o.label]),
    [
      [1, 'a'],
      [7, null],
    ],
  );
  assert.deepEqual(
    prompts.map((p) => [p.objectId, p.frame, p.kind]),
    [
      [1, 2, 'POINTS'],
      [7, 3, 'BOX'],
      [7, 9, 'MASK'],
    ],
  );
  assert.deepEqual(prompts[1]!.box, [5, 5, 60, 50]);
  assert.equal((prompts[2]!.mask as { counts: unknown }).counts, maskCounts());
  assert.deepEqual(
    rounds.map((x) => [x.number, x.status, x.direction]),
    [[1, 'QUEUED', 'both']],
  );
  const entry = await segment.getJob(segmentJobId(id, 1));
  assert.ok(entry, 'queued in BullMQ under the db id');
  assert.deepEqual(entry.data, { jobId: id, tenantId: api.tenant.id, round: 1 });
  const rank = await api.prisma.job.count({
    where: { tenantId: api.tenant.id, status: 'QUEUED', createdAt: { lt: new Date(r.body.createdAt) } },
  });
  assert.equal(entry.opts.priority, fairPriority(rank, 8));
});

function maskCounts(): string {
  const m = createMask(160, 120);
  for (let y = 20; y < 40; y++) for (let x = 30; x < 70; x++) m.data[y * 160 + x] = 1;
  return toCocoRle(m).counts;
}

test('bad job bodies are answered with the right status and code', async () => {
  const v = video.id;
  const obj = (prompt: Record<string, unknown>, id = 1): Record<string, unknown> => ({ id, prompts: [prompt] });
  const cases: Array<[string, unknown, number, string, RegExp?]> = [
    ['unknown video', jobBody('6f1c1d3e-0000-4000-8000-000000000000'), 404, 'VIDEO_NOT_FOUND'],
    [
      'prompt frame out of range',
      { videoId: v, objects: [obj({ frame: 30, points: [{ x: 1, y: 1, label: 1 }] })] },
      422,
      'FRAME_OUT_OF_RANGE',
      /objects\[0\]\.prompts\[0\]\.frame/,
    ],
    [
      'point outside the frame',
      { videoId: v, objects: [obj({ frame: 0, points: [{ x: 160, y: 5, label: 1 }] })] },
      422,
      'POINT_OUTSIDE_FRAME',
      /160x120/,
    ],
    [
      'box outside the frame',
      { videoId: v, objects: [obj({ frame: 0, box: { x0: 0, y0: 0, x1: 10, y1: 121 } })] },
      422,
      'BOX_OUTSIDE_FRAME',
    ],
    [
      'mask of the wrong size',
      { videoId: v, objects: [obj({ frame: 0, mask: { size: [100, 100], counts: [0, 10, 9990] } })] },
      422,
      'MASK_SIZE_MISMATCH',
      /\[120, 160\]/,
    ],
    [
      'mask counts not covering the frame',
      { videoId: v, objects: [obj({ frame: 0, mask: { size: [120, 160], counts: [0, 10, 10] } })] },
      422,
      'INVALID_MASK',
    ],
    [
      'duplicate object ids',
      {
        videoId: v,
        objects: [
          obj({ frame: 0, points: [{ x: 1, y: 1, label: 1 }] }, 3),
          obj({ frame: 1, points: [{ x: 1, y: 1, label: 1 }] }, 3),
        ],
      },
      400,
      'DUPLICATE_OBJECT_ID',
      /objects\[1\]\.id/,
    ],
    ['object without prompts', { videoId: v, objects: [{ id: 1, prompts: [] }] }, 400, 'OBJECT_WITHOUT_PROMPTS'],
    ['prompt with neither points, box nor mask', { videoId: v, objects: [obj({ frame: 0 })] }, 400, 'EMPTY_PROMPT'],
    [
      'bad direction',
      jobBody(v, { options: { direction: 'sideways' } }),
      400,
      'VALIDATION_FAILED',
      /options\.direction/,
    ],
    ['priority out of range', jobBody(v, { priority: 11 }), 400, 'VALIDATION_FAILED', /priority/],
    [
      'object id 0',
      { videoId: v, objects: [obj({ frame: 0, points: [{ x: 1, y: 1, label: 1 }] }, 0)] },
      400,
      'VALIDATION_FAILED',
      /objects\[0\]\.id/,
    ],
    [
      'point label 2',
      { videoId: v, objects: [obj({ frame: 0, points: [{ x: 1, y: 1, label: 2 }] })] },
      400,
      'VALIDATION_FAILED',
      /label/,
    ],
    ['unknown field', jobBody(v, { colour: 'red' }), 400, 'UNKNOWN_FIELD', /colour/],
    ['startFrame out of range', jobBody(v, { options: { startFrame: 99 } }), 422, 'START_FRAME_OUT_OF_RANGE'],
    ['no objects', { videoId: v, objects: [] }, 400, 'VALIDATION_FAILED', /objects/],
    ['videoId not a uuid', jobBody('abc'), 400, 'VALIDATION_FAILED', /videoId/],
  ];
  const before = await api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  for (const [name, body, status, code, message] of cases) {
    const r = await call(api, 'POST', '/v1/jobs', { json: body });
    assert.equal(r.status, status, `${name}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error?.code, code, `${name}: ${JSON.stringify(r.body)}`);
    assert.ok(r.body.error.message.length > 5, name);
    if (message) assert.match(r.body.error.message, message, name);
  }
  const malformed = await call(api, 'POST', '/v1/jobs', { raw: '{"videoId": "abc", ' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'MALFORMED_JSON');
  assert.equal(
    await api.prisma.job.count({ where: { tenantId: api.tenant.id } }),
    before,
    'no job was created by a bad request',
  );
});

test('a job on a video that is not READY is 409 VIDEO_NOT_READY', async () => {
  const failed = await api.prisma.video.create({
    data: {
      tenantId: api.tenant.id,
      s3Key: 'x',
      status: 'FAILED',
      error: 'broken',
      width: 160,
      height: 120,
      frameCount: 30,
    },
  });
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(failed.id) });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'VIDEO_NOT_READY');
});

test('Idempotency-Key: same body -> same job (200), different body -> 409', async () => {
  const key = `idem-${Date.now()}`;
  const body = jobBody(video.id, { priority: 3 });
  const a = await call(api, 'POST', '/v1/jobs', { json: body, headers: { 'idempotency-key': key } });
  assert.equal(a.status, 201);
  const b = await call(api, 'POST', '/v1/jobs', {
    json: { priority: 3, ...body },
    headers: { 'idempotency-key': key },
  });
  assert.equal(b.status, 200);
  assert.equal(b.body.id, a.body.id);
  assert.equal(await api.prisma.job.count({ where: { tenantId: api.tenant.id, idempotencyKey: key } }), 1);
  const c = await call(api, 'POST', '/v1/jobs', {
    json: jobBody(video.id, { priority: 4 }),
    headers: { 'idempotency-key': key },
  });
  assert.equal(c.status, 409);
  assert.equal(c.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
  // Concurrent replays of a new key still make one job.
  const key2 = `idem-race-${Date.now()}`;
  const all = await Promise.all(
    [1, 2, 3, 4].map(() => call(api, 'POST', '/v1/jobs', { json: body, headers: { 'idempotency-key': key2 } })),
  );
  assert.equal(new Set(all.map((x) => x.body.id)).size, 1, JSON.stringify(all.map((x) => x.body)));
  assert.deepEqual(all.map((x) => x.status).sort(), [200, 200, 200, 201]);
});

test('cancel: a queued job leaves BullMQ and is CANCELLED; a second cancel is 409', async () => {
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const id = r.body.id;
  assert.ok(await segment.getJob(id), 'queued before the cancel');
  const c = await call(api, 'POST', `/v1/jobs/${id}/cancel`);
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.status, 'CANCELLED');
  assert.equal(await segment.getJob(id), undefined, 'removed from the queue');
  const row = await api.prisma.job.findUniqueOrThrow({ where: { id } });
  assert.equal(row.status, 'CANCELLED');
  const round = await api.prisma.round.findFirstOrThrow({ where: { jobId: id } });
  assert.equal(round.status, 'CANCELLED');
  const again = await call(api, 'POST', `/v1/jobs/${id}/cancel`);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'JOB_ALREADY_FINISHED');
});

test('cancel of a RUNNING job signals the worker (202, cancelRequested)', async () => {
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const id = r.body.id;
  await segment.remove(id);
  await api.prisma.job.update({ where: { id }, data: { status: 'RUNNING', startedAt: new Date() } });
  const c = await call(api, 'POST', `/v1/jobs/${id}/cancel`);
  assert.equal(c.status, 202);
  assert.equal(c.body.status, 'RUNNING');
  assert.equal(c.body.cancelRequested, true);
  assert.equal(await api.redis.exists(`masklet:cancelled:${id}`), 1);
  const g = await call(api, 'GET', `/v1/jobs/${id}`);
  assert.equal(g.body.cancelRequested, true);
});

/** Writes round-1 chunks [0, 10) and [10, 20) the way the worker does: S3 object + MaskletChunk + ObjectTrackChunk rows. */
async function writeChunks(jobId: string): Promise<void> {
  for (const start of [0, 10]) {
    const frames = [];
    const stats = [];
    for (let f = start; f < start + 10; f++) {
      const m = createMask(160, 120);
      for (let y = 10; y < 20; y++) for (let x = f; x < f + 10; x++) m.data[y * 160 + x] = 1;
      frames.push({
        frame: f,
        objects: [
          {
            objectId: 1,
            rle: toCocoRle(m),
            area: 100,
            bbox: [f, 10, 10, 10] as [number, number, number, number],
            score: 5,
          },
        ],
      });
      stats.push({
        present: f % 2 === 0,
        area: f % 2 === 0 ? 100 : 0,
        box: f % 2 === 0 ? ([f, 10, f + 10, 20] as [number, number, number, number]) : null,
      });
    }
    const { body, sha256 } = encodeChunk({
      format: CHUNK_FORMAT,
      jobId,
      round: 1,
      width: 160,
      height: 120,
      startFrame: start,
      endFrame: start + 10,
      frames,
    });
    const key = chunkKey(api.tenant.id, jobId, 1, start);
    await api.store.putBuffer(key, body, 'application/gzip');
    await api.prisma.maskletChunk.create({
      data: {
        jobId,
        round: 1,
        startFrame: start,
        endFrame: start + 10,
        s3Key: key,
        format: CHUNK_FORMAT,
        bytes: body.length,
        sha256,
      },
    });
    const packed = packTrackStats(stats);
    await api.prisma.objectTrackChunk.create({
      data: {
        jobId,
        round: 1,
        objectId: 1,
        startFrame: start,
        endFrame: start + 10,
        presence: new Uint8Array(packed.presence),
        areas: new Uint8Array(packed.areas),
        boxes: new Uint8Array(packed.boxes),
      },
    });
  }
}

test('masklets: RLE JSON over a range, single-frame PNG, per-object stats', async () => {
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const id = r.body.id;
  await writeChunks(id);
  const m = await call(api, 'GET', `/v1/jobs/${id}/masklets?from=5&to=15`);
  assert.equal(m.status, 200, JSON.stringify(m.body));
  assert.equal(m.body.width, 160);
  assert.equal(m.body.height, 120);
  assert.deepEqual(
    m.body.frames.map((f: { frame: number }) => f.frame),
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  );
  assert.equal(m.body.frames[0].objects[0].objectId, 1);
  assert.deepEqual(m.body.frames[0].objects[0].rle.size, [120, 160]);
  const none = await call(api, 'GET', `/v1/jobs/${id}/masklets?from=0&to=30&object=2`);
  assert.equal(none.body.frames.length, 20);
  assert.ok(none.body.frames.every((f: { objects: unknown[] }) => f.objects.length === 0));

  const res = await fetch(`${api.base}/v1/jobs/${id}/masklets?from=12&format=png`, {
    headers: { authorization: `Bearer ${api.key.key}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const img = readMaskPng(new Uint8Array(await res.arrayBuffer()));
  assert.equal(img.width, 160);
  assert.equal(img.labels[15 * 160 + 12], 1);
  assert.equal(img.labels[15 * 160 + 22], 0);
  assert.equal(img.labels[5 * 160 + 15], 0);

  const range = await call(api, 'GET', `/v1/jobs/${id}/masklets?from=1&to=5&format=png`);
  assert.equal(range.status, 400);
  assert.equal(range.body.error.code, 'PNG_SINGLE_FRAME');
  const missing = await call(api, 'GET', `/v1/jobs/${id}/masklets?from=25&format=png`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'FRAME_NOT_AVAILABLE');
  const badFmt = await call(api, 'GET', `/v1/jobs/${id}/masklets?format=gif`);
  assert.equal(badFmt.status, 400);

  const g = await call(api, 'GET', `/v1/jobs/${id}`);
  assert.deepEqual(g.body.objects, [{ id: 1, label: 'thing', framesPresent: 10, meanArea: 100 }]);
});

test('events: SSE reports progress and status until the job is terminal', async () => {
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const id = r.body.id;
  const res = await fetch(`${api.base}/v1/jobs/${id}/events`, { headers: { authorization: `Bearer ${api.key.key}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  setTimeout(
    () =>
      api.prisma.job
        .update({ where: { id }, data: { status: 'RUNNING', progress: 0.5, framesDone: 15 } })
        .then(() => undefined),
    700,
  ); // Prisma queries run on then()
  setTimeout(
    () =>
      api.prisma.job
        .update({ where: { id }, data: { status: 'SUCCEEDED', progress: 1, framesDone: 30, finishedAt: new Date() } })
        .then(() => undefined),
    1500,
  );
  const text = await res.text(); // ends when the job is terminal
  const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], JSON.parse(m[2]!)]);
  const statuses = events.filter(([e]) => e === 'status').map(([, d]) => d.status);
  assert.deepEqual(statuses, ['QUEUED', 'RUNNING', 'SUCCEEDED']);
  assert.ok(
    events.some(([e, d]) => e === 'progress' && d.framesDone === 15 && d.progress === 0.5),
    text,
  );
});

test('list: filters by status and pages with a cursor', async () => {
  const all = await call(api, 'GET', '/v1/jobs?limit=500');
  assert.equal(all.status, 200);
  const total = await api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  assert.equal(all.body.items.length, total);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await call(api, 'GET', `/v1/jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.ok(page.body.items.length <= 2);
    seen.push(...page.body.items.map((j: { id: string }) => j.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(
    seen,
    all.body.items.map((j: { id: string }) => j.id),
  );
  const cancelled = await call(api, 'GET', '/v1/jobs?status=CANCELLED');
  assert.ok(cancelled.body.items.length >= 1);
  assert.ok(cancelled.body.items.every((j: { status: string }) => j.status === 'CANCELLED'));
  const bad = await call(api, 'GET', '/v1/jobs?status=DONE');
  assert.equal(bad.status, 400);
  const badCursor = await call(api, 'GET', '/v1/jobs?cursor=zzz');
  assert.equal(badCursor.status, 400);
  assert.equal(badCursor.body.error.code, 'INVALID_CURSOR');
});
