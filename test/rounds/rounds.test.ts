// Correction rounds over HTTP with a real worker: recompute only what a correction reaches, bit-identical
// to one uninterrupted engine session, checkpoint restored from S3 after a Redis eviction, one round at a
// time (409 ROUND_IN_PROGRESS), removals, history, preview.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import IORedis from 'ioredis';
import { CheckpointStore, checkpointRedisKey } from '@masklet/masklets';
import { sharedModel, testClip } from '../worker/support';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, diffMasks, firstClicks, toFrameMasks, uninterrupted, waitJob, waitVideo, type Step } from './support';

const FRAMES = 40;
let stack: Stack;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' });
});
after(async () => {
  await stack?.close();
});

test('a correction round recomputes only the frames it reaches and equals an uninterrupted session', async () => {
  const clip = await testClip(FRAMES, 2, 'rounds');
  const api = await apiFor(stack, 'rounds');
  const vid = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, vid.id);

  const created = await api.call('POST', '/v1/jobs', clickJob(vid.id, clip, { options: { outputs: ['coco_json'] } }));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body['id'] as string;
  const correction = {
    frame: 20,
    objectId: 1,
    points: [{ x: clip.meta.objects[0]!.clicks[20]![0], y: clip.meta.objects[0]!.clicks[20]![1], label: 1 }],
  };

  // While round 1 is queued or running, a round is refused.
  const early = await api.call('POST', `/v1/jobs/${jobId}/rounds`, { corrections: [correction] });
  assert.equal(early.status, 409);
  assert.equal((early.body['error'] as { code: string }).code, 'ROUND_IN_PROGRESS');
  assert.equal(
    await stack.env.prisma.prompt.count({ where: { jobId, round: { gt: 1 } } }),
    0,
    'the refused round left no prompts',
  );
  assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');

  // Preview from the round-1 state: twice the same answer (nothing stored changes).
  const p1 = await api.call('POST', `/v1/jobs/${jobId}/preview`, correction);
  assert.equal(p1.status, 200, JSON.stringify(p1.body));
  const p2 = await api.call('POST', `/v1/jobs/${jobId}/preview`, correction);
  assert.deepEqual({ ...p2.body, ms: 0 }, { ...p1.body, ms: 0 });
  assert.equal(p1.body['round'], 1);

  // The round-1 end checkpoint leaves Redis: round 2 must restore it from S3.
  const redis = new IORedis(stack.config.REDIS_URL);
  try {
    assert.ok(await redis.exists(checkpointRedisKey(jobId, 1, 'end')), 'round 1 checkpointed to Redis');
    await new CheckpointStore(redis, stack.env.store, 60).evict(jobId, 1, 'end');
  } finally {
    redis.disconnect();
  }

  // Two concurrent requests: exactly one becomes round 2, the other gets 409 ROUND_IN_PROGRESS.
  const both = await Promise.all(
    [0, 1].map(() => api.call('POST', `/v1/jobs/${jobId}/rounds`, { corrections: [correction] })),
  );
  assert.deepEqual(both.map((r) => r.status).sort(), [202, 409], JSON.stringify(both.map((r) => r.body)));
  const loser = both.find((r) => r.status === 409)!;
  assert.equal((loser.body['error'] as { code: string }).code, 'ROUND_IN_PROGRESS');
  assert.equal(both.find((r) => r.status === 202)!.body['number'], 2);
  assert.equal(
    await stack.env.prisma.prompt.count({ where: { jobId, round: { gt: 1 } } }),
    1,
    "only the accepted round's one correction is stored",
  );
  assert.equal((await waitJob(api, jobId, 2))['status'], 'SUCCEEDED');

  const rounds = (await api.call<{ items: Record<string, any>[] }>('GET', `/v1/jobs/${jobId}/rounds`)).body.items;
  assert.equal(rounds.length, 2);
  const r2 = rounds[1]!;
  assert.equal(r2['status'], 'SUCCEEDED');
  assert.equal(r2['framesRecomputed'], FRAMES - 20, 'forward from frame 20 to the end, nothing else');
  assert.deepEqual(r2['changedFrames'], [20]);
  assert.deepEqual(r2['changedObjects'], [1]);
  assert.ok(r2['apiKeyId']);
  assert.equal(typeof r2['meanIouDelta'], 'number');
  assert.equal(r2['stats']['attempts'][0]['checkpointSource'], 's3', 'restored from S3 after the Redis eviction');
  assert.equal(r2['stats']['attempts'][0]['baseRound'], 1);
  assert.equal(r2['stats']['checkpoint']['perObject'].length, 2);
  assert.ok(r2['stats']['checkpoint']['bytes'] > 0);

  const chunks2 = await stack.env.prisma.maskletChunk.findMany({
    where: { jobId, round: 2 },
    orderBy: { startFrame: 'asc' },
  });
  assert.deepEqual(
    chunks2.map((c) => [c.startFrame, c.endFrame]),
    [
      [20, 24],
      [24, 32],
      [32, 40],
    ],
  );

  // Bit for bit: round-1 clicks, propagate, the correction (appended), propagate from frame 20.
  const clicks = firstClicks(clip);
  const start = Math.min(...clicks.map((c) => c.frame));
  const steps: Step[] = [
    ...clicks.map((c) => ({ kind: 'click' as const, ...c })),
    { kind: 'propagate', startFrame: start, direction: 'forward' },
    { kind: 'click', ...correction, points: correction.points as never, append: true },
    { kind: 'propagate', startFrame: 20, direction: 'forward' },
  ];
  const [afterRound1, afterRound2] = await uninterrupted(await sharedModel(), clip, steps);
  const latest = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets`)).body);
  assert.deepEqual(diffMasks(latest, afterRound2!), []);
  const asOf1 = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets?round=1`)).body);
  assert.deepEqual(diffMasks(asOf1, afterRound1!), []);
  // The click on tracked frame 20 became a conditioning frame: the committed mask is the preview's.
  assert.equal(latest.get(20)!.get(1), (p1.body['rle'] as { counts: string }).counts);

  // Round 3 removes object 2: nothing to propagate, the object leaves the latest view only.
  const r3 = await api.call('POST', `/v1/jobs/${jobId}/rounds`, { removeObjects: [2] });
  assert.equal(r3.status, 202, JSON.stringify(r3.body));
  assert.equal((await waitJob(api, jobId, 3))['status'], 'SUCCEEDED');
  const after3 = (await api.call<{ items: Record<string, any>[] }>('GET', `/v1/jobs/${jobId}/rounds`)).body.items[2]!;
  assert.equal(after3['framesRecomputed'], 0);
  assert.deepEqual(after3['removedObjects'], [2]);
  const latest3 = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets`)).body);
  assert.equal(latest3.size, FRAMES);
  for (const m of latest3.values()) assert.deepEqual([...m.keys()], [1]);
  const still2 = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets?round=2`)).body);
  assert.deepEqual(diffMasks(still2, afterRound2!), []);

  // Every round exports the job as of that round: all frames (a correction round's own chunks cover
  // only what it recomputed), without the objects it removed.
  const exportsDone = async () => {
    for (let i = 0; i < 600; i++) {
      const rows = await stack.env.prisma.export.findMany({ where: { jobId }, orderBy: { round: 'asc' } });
      if (rows.length === 3 && rows.every((r) => r.status === 'SUCCEEDED' || r.status === 'FAILED')) return rows;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('exports of rounds 1-3 did not finish');
  };
  const exportRows = await exportsDone();
  assert.deepEqual(
    exportRows.map((e) => [e.round, e.kind, e.status]),
    [
      [1, 'COCO_JSON', 'SUCCEEDED'],
      [2, 'COCO_JSON', 'SUCCEEDED'],
      [3, 'COCO_JSON', 'SUCCEEDED'],
    ],
  );
  const coco = (r: number) =>
    stack.env.store.getBuffer(exportRows[r - 1]!.s3Key!).then(
      (b) =>
        JSON.parse(b.toString('utf8')) as {
          videos: { length: number }[];
          images: unknown[];
          annotations: { image_id: number; track_id: number }[];
        },
    );
  const [c2, c3] = await Promise.all([coco(2), coco(3)]);
  assert.equal(c2.videos[0]!.length, FRAMES);
  assert.equal(c2.images.length, FRAMES);
  assert.deepEqual([...new Set(c2.annotations.map((a) => a.track_id))].sort(), [1, 2]);
  assert.equal(c3.images.length, FRAMES);
  assert.deepEqual([...new Set(c3.annotations.map((a) => a.track_id))], [1], 'round 3 removed object 2');

  // Validation like job prompts.
  const bad = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [{ frame: 99, objectId: 1, points: [{ x: 1, y: 1, label: 1 }] }],
  });
  assert.equal(bad.status, 422);
  assert.equal((bad.body['error'] as { code: string }).code, 'FRAME_OUT_OF_RANGE');
  const unknown = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [{ frame: 1, objectId: 2, points: [{ x: 1, y: 1, label: 1 }] }],
  });
  assert.equal((unknown.body['error'] as { code: string }).code, 'OBJECT_REMOVED');
  const empty = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {});
  assert.equal(empty.status, 400);
  assert.equal((empty.body['error'] as { code: string }).code, 'EMPTY_ROUND');
});
