// A segment job end to end through a worker started in-process: chunks in S3 and Postgres, masks
// against the clip's known masks, track stats, a redone job, and 'both' directions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeChunk, unpackTrackStats } from '@masklet/masklets';
import { fromCocoRle, toCocoRle } from '@masklet/masks';
import { segmentQueueName } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import {
  createTestEnv,
  enqueueSegment,
  iou,
  seedJob,
  sharedModel,
  skip,
  testClip,
  truthMask,
  waitFor,
  type TestEnv,
} from './support';

const FRAMES = 48;

describe('worker: segment queue', { skip }, () => {
  let env: TestEnv;
  let worker: WorkerHandle;

  before(async () => {
    env = await createTestEnv();
    worker = await startWorker(env.config, { model: await sharedModel(), prefix: env.prefix, queues: ['segment'] });
  });
  after(async () => {
    await worker?.close();
    await env?.close();
  });

  async function finished(jobId: string) {
    return waitFor(
      `job ${jobId} to finish`,
      async () => {
        const j = await env.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.status) ? j : null;
      },
      120_000,
    );
  }

  async function chunkSnapshot(jobId: string) {
    const rows = await env.prisma.maskletChunk.findMany({ where: { jobId, round: 1 }, orderBy: { startFrame: 'asc' } });
    return Promise.all(rows.map(async (r) => ({ row: r, body: await env.store.getBuffer(r.s3Key) })));
  }

  test('a forward job succeeds; chunks cover every frame once, hashes match S3, masks match the truth (IoU >= 0.9)', async () => {
    const clip = await testClip(FRAMES, 2);
    const seeded = await seedJob(env, clip);
    const t0 = performance.now();
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    const wallMs = performance.now() - t0;
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.equal(job.framesDone, FRAMES);
    assert.equal(job.framesTotal, FRAMES);
    assert.equal(job.progress, 1);
    assert.equal(job.attempts, 1);
    assert.equal(job.workerId, worker.id);
    assert.ok(job.startedAt && job.finishedAt);
    const round = await env.prisma.round.findUniqueOrThrow({
      where: { jobId_number: { jobId: seeded.jobId, number: 1 } },
    });
    assert.equal(round.status, 'SUCCEEDED');
    assert.equal(round.framesRecomputed, FRAMES);

    const chunks = await chunkSnapshot(seeded.jobId);
    assert.equal(chunks.length, Math.ceil(FRAMES / 16));
    const covered: number[] = [];
    const ious = new Map<number, number[]>();
    for (const { row, body } of chunks) {
      assert.equal(createHash('sha256').update(body).digest('hex'), row.sha256, `chunk ${row.startFrame} hash`);
      assert.equal(body.length, row.bytes);
      const chunk = decodeChunk(body);
      assert.equal(chunk.startFrame, row.startFrame);
      assert.equal(chunk.endFrame, row.endFrame);
      assert.deepEqual(
        chunk.frames.map((f) => f.frame),
        Array.from({ length: row.endFrame - row.startFrame }, (_, i) => row.startFrame + i),
      );
      for (const f of chunk.frames) {
        covered.push(f.frame);
        for (const o of f.objects) {
          const pred = fromCocoRle(o.rle).data;
          const truth = await truthMask(clip, o.objectId, f.frame);
          const list = ious.get(o.objectId) ?? [];
          list.push(iou(pred, truth));
          ious.set(o.objectId, list);
        }
      }
    }
    assert.deepEqual(
      covered,
      Array.from({ length: FRAMES }, (_, i) => i),
      'every frame exactly once, in order',
    );
    assert.deepEqual(
      [...ious.keys()].sort(),
      clip.meta.objects.map((o) => o.id),
    );
    for (const [id, list] of ious) {
      const mean = list.reduce((a, b) => a + b, 0) / list.length;
      assert.ok(mean >= 0.9, `object ${id} mean IoU ${mean.toFixed(3)} < 0.9`);
    }

    // Track stats: presence per frame equals the clip's visibility, one row per object per chunk.
    const tracks = await env.prisma.objectTrackChunk.findMany({
      where: { jobId: seeded.jobId, round: 1 },
      orderBy: [{ objectId: 'asc' }, { startFrame: 'asc' }],
    });
    assert.equal(tracks.length, chunks.length * clip.meta.objects.length);
    for (const obj of clip.meta.objects) {
      const presence = tracks
        .filter((t) => t.objectId === obj.id)
        .flatMap((t) =>
          unpackTrackStats(
            { presence: Buffer.from(t.presence), areas: Buffer.from(t.areas), boxes: Buffer.from(t.boxes) },
            t.endFrame - t.startFrame,
          ).map((s) => s.present),
        );
      const agree = presence.filter((p, f) => p === obj.visible[f]).length;
      assert.ok(agree >= FRAMES - 1, `object ${obj.id}: presence agrees with visibility on ${agree}/${FRAMES} frames`);
    }
    console.log(
      `# segment: ${FRAMES} frames, ${clip.meta.objects.length} objects: ${(FRAMES / (wallMs / 1000)).toFixed(1)} fps end to end (enqueue -> SUCCEEDED)`,
    );
  });

  test('a job run twice (a retry / redelivery) leaves one row per chunk range and identical bytes', async () => {
    const clip = await testClip(FRAMES, 2);
    const seeded = await seedJob(env, clip);
    await enqueueSegment(env, seeded);
    assert.equal((await finished(seeded.jobId)).status, 'SUCCEEDED');
    const first = await chunkSnapshot(seeded.jobId);
    const firstTracks = await env.prisma.objectTrackChunk.count({ where: { jobId: seeded.jobId } });

    // What a crashed worker leaves behind: the job RUNNING, BullMQ handing it out again. The worker
    // writes SUCCEEDED before BullMQ moves the job to completed, and a job still locked by its
    // worker is not removed (remove returns 0), so the re-add below would be dropped as a duplicate.
    const queue = env.queue(segmentQueueName('masklet-reference'));
    await waitFor(
      'BullMQ to complete the first run',
      async () => (await queue.getJobState(seeded.jobId)) === 'completed',
    );
    await env.prisma.job.update({ where: { id: seeded.jobId }, data: { status: 'RUNNING' } });
    assert.equal(await queue.remove(seeded.jobId), 1, 'the completed BullMQ job is removed');
    await enqueueSegment(env, seeded);
    await waitFor(
      'second run',
      async () => (await env.prisma.job.findUniqueOrThrow({ where: { id: seeded.jobId } })).attempts === 2 || null,
    );
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED');
    assert.equal(job.attempts, 2, 'the job really ran a second time');
    const second = await chunkSnapshot(seeded.jobId);
    assert.equal(second.length, first.length);
    for (let i = 0; i < first.length; i++) {
      assert.equal(second[i]!.row.startFrame, first[i]!.row.startFrame);
      assert.equal(second[i]!.row.id, first[i]!.row.id, 'the row is updated in place, not duplicated');
      assert.equal(second[i]!.row.sha256, first[i]!.row.sha256);
      assert.ok(second[i]!.body.equals(first[i]!.body), `chunk ${first[i]!.row.startFrame}: identical bytes`);
    }
    assert.equal(await env.prisma.objectTrackChunk.count({ where: { jobId: seeded.jobId } }), firstTracks);
    const keys = await env.store.list(`tenants/${seeded.tenantId}/jobs/${seeded.jobId}/rounds/1/masklets/`);
    assert.equal(keys.length, first.length, 'no stray S3 objects');
  });

  test("direction 'both' from a middle frame: backward chunks are stored ascending; all frames exactly once", async () => {
    const clip = await testClip(FRAMES, 2);
    const start = 21;
    const seeded = await seedJob(env, clip, { options: { direction: 'both', startFrame: start }, promptFrame: start });
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    assert.equal(job.framesTotal, FRAMES);
    assert.equal(job.framesDone, FRAMES);
    const chunks = await chunkSnapshot(seeded.jobId);
    const covered: number[] = [];
    for (const { row, body } of chunks) {
      const c = decodeChunk(body);
      const frames = c.frames.map((f) => f.frame);
      assert.deepEqual(
        frames,
        [...frames].sort((a, b) => a - b),
        'ascending inside a chunk',
      );
      assert.equal(frames[0], row.startFrame);
      assert.equal(frames[frames.length - 1]! + 1, row.endFrame);
      assert.equal(frames.length, row.endFrame - row.startFrame, 'contiguous');
      covered.push(...frames);
    }
    assert.deepEqual(
      covered,
      Array.from({ length: FRAMES }, (_, i) => i),
    );
    // The chunk holding the start frame begins at it; the backward pass ends its block just before it.
    assert.ok(chunks.some((c) => c.row.startFrame === start));
    assert.ok(chunks.some((c) => c.row.endFrame === start));
    const first = decodeChunk(chunks[0]!.body);
    const pred = fromCocoRle(first.frames[0]!.objects[0]!.rle).data;
    assert.ok(
      iou(pred, await truthMask(clip, first.frames[0]!.objects[0]!.objectId, 0)) >= 0.8,
      'frame 0 tracked backward',
    );
  });

  test("prompts in the API's stored form: a COCO mask for one object, a box plus {x, y, label} clicks for the other", async () => {
    const clip = await testClip(FRAMES, 2);
    const seeded = await seedJob(env, clip);
    await env.prisma.prompt.deleteMany({ where: { jobId: seeded.jobId } });
    const [a, b] = clip.meta.objects;
    const { width, height } = clip.meta;
    const maskA = toCocoRle({ width, height, data: await truthMask(clip, a!.id, 0) });
    const truthB = await truthMask(clip, b!.id, 0);
    let [x0, y0, x1, y1] = [width, height, 0, 0];
    for (let i = 0; i < truthB.length; i++) {
      if (!truthB[i]) continue;
      const x = i % width;
      const y = Math.floor(i / width);
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
    }
    const [cx, cy] = b!.clicks[0]!;
    await env.prisma.prompt.createMany({
      data: [
        {
          jobId: seeded.jobId,
          round: 1,
          objectId: a!.id,
          frame: 0,
          kind: 'MASK',
          mask: { size: maskA.size, counts: maskA.counts },
        },
        {
          jobId: seeded.jobId,
          round: 1,
          objectId: b!.id,
          frame: 0,
          kind: 'BOX',
          box: [x0, y0, x1, y1],
          points: [{ x: cx, y: cy, label: 1 }],
        },
      ],
    });
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'SUCCEEDED', `${job.errorCode}: ${job.error}`);
    const last = (await chunkSnapshot(seeded.jobId)).at(-1)!;
    const frame = decodeChunk(last.body).frames.at(-1)!;
    for (const o of frame.objects) {
      const score = iou(fromCocoRle(o.rle).data, await truthMask(clip, o.objectId, frame.frame));
      assert.ok(score >= 0.85, `object ${o.objectId} IoU ${score.toFixed(3)} on the last frame`);
    }
  });

  test('a prompt on an object the job does not track fails the job at once (bad input, no retry)', async () => {
    const clip = await testClip(FRAMES, 2);
    const seeded = await seedJob(env, clip);
    await env.prisma.prompt.create({
      data: { jobId: seeded.jobId, round: 1, objectId: 99, frame: 0, kind: 'POINTS', points: [[10, 10, 1]] },
    });
    await enqueueSegment(env, seeded);
    const job = await finished(seeded.jobId);
    assert.equal(job.status, 'FAILED');
    assert.equal(job.errorCode, 'bad_input.prompt');
    assert.equal(job.attempts, 1, 'not retried');
    assert.equal(await env.prisma.maskletChunk.count({ where: { jobId: seeded.jobId } }), 0);
  });
});
