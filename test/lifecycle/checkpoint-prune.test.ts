// Issue 14, data lifecycle: checkpoint storage is bounded. Once a round is SUCCEEDED only its end
// checkpoint (one whole segment and its pointer) stays in S3 and Redis; the per-chunk segments and the
// superseded round's chain are dropped. The same job with and without pruning (CHECKPOINT_PRUNE=false):
// the pruned one keeps fewer bytes, and its correction round, which starts from the pruned state,
// gives the same masks (RLE) as the one that kept everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import IORedis from 'ioredis';
import { clickJob, startStack } from '../e2e/stack';
import { apiFor, diffMasks, toFrameMasks, waitJob, waitVideo, type FrameMasks } from '../rounds/support';
import { testClip } from '../worker/support';

const FRAMES = 16;

interface Run {
  /** Checkpoint keys (relative to the job's checkpoint prefix) and their total bytes, after each round. */
  after: { keys: string[]; bytes: number }[];
  redisKeys: string[];
  masks: FrameMasks;
  objects: number;
}

async function runJob(prune: boolean): Promise<Run> {
  const stack = await startStack({ CHUNK_FRAMES: '4', CHECKPOINT_PRUNE: String(prune) });
  const redis = new IORedis(stack.config.REDIS_URL);
  try {
    const clip = await testClip(FRAMES, 2, 'ckpt-prune');
    const api = await apiFor(stack, `ckpt-prune-${prune}`);
    const video = await api.client.uploadVideo(clip.mp4Path!);
    await waitVideo(api, video.id);
    const created = await api.call('POST', '/v1/jobs', clickJob(video.id, clip, { options: { direction: 'forward' } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const jobId = created.body['id'] as string;
    const prefix = `tenants/${api.tenantId}/checkpoints/${jobId}/`;
    const stored = async (): Promise<{ keys: string[]; bytes: number }> => {
      const keys = await stack.env.store.list(prefix);
      let bytes = 0;
      for (const k of keys) bytes += (await stack.env.store.head(k))?.bytes ?? 0;
      return { keys: keys.map((k) => k.slice(prefix.length)).sort(), bytes };
    };
    // The worker prunes just after it marks the round SUCCEEDED (a cancelled round must not drop the
    // chain it would have replaced), so what a client sees at SUCCEEDED settles a moment later: wait
    // (bounded) for the pruned state, an end pointer and its one segment; the assertions below say what
    // is left if it never comes. Redis is pruned before S3, so a settled S3 means a settled Redis.
    const settled = async (): Promise<{ keys: string[]; bytes: number }> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const state = await stored();
        if (!prune || state.keys.length <= 2 || Date.now() > deadline) return state;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    assert.equal((await waitJob(api, jobId, 1))['status'], 'SUCCEEDED');
    const after1 = await settled();

    // A negative click on a tracked frame of object 1, half way: round 2 restores round 1's end state.
    const o1 = clip.meta.objects[0]!;
    const first = o1.clicks.findIndex((c) => c !== null);
    const frame = o1.clicks.findIndex((c, f) => c !== null && f >= first + 6);
    const [x, y] = o1.clicks[frame]!;
    const round = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
      corrections: [{ frame, objectId: 1, points: [{ x, y, label: 0 }] }],
    });
    assert.equal(round.status, 202, JSON.stringify(round.body));
    assert.equal((await waitJob(api, jobId, 2))['status'], 'SUCCEEDED');
    const after2 = await settled();
    const masks = toFrameMasks((await api.call<never>('GET', `/v1/jobs/${jobId}/masklets`)).body);
    const redisKeys = (await redis.keys(`masklet:ckpt:${jobId}:*`))
      .map((k) => k.slice(`masklet:ckpt:${jobId}:`.length))
      .sort();
    return { after: [after1, after2], redisKeys, masks, objects: clip.meta.objects.length };
  } finally {
    redis.disconnect();
    await stack.close();
  }
}

test('an accepted round keeps only its end checkpoint, and a correction from it gives the same masks', async (ctx) => {
  const kept = await runJob(false);
  const pruned = await runJob(true);
  const perFrameObject = (bytes: number): number => Math.round(bytes / (FRAMES * pruned.objects));
  for (const [i, r] of [kept, pruned].entries()) {
    ctx.diagnostic(
      `${i === 0 ? 'without' : 'with'} pruning: after round 1 ${r.after[0]!.keys.length} objects ${r.after[0]!.bytes} B, ` +
        `after round 2 ${r.after[1]!.keys.length} objects ${r.after[1]!.bytes} B (${perFrameObject(r.after[1]!.bytes)} B per frame per object)`,
    );
  }
  // Four-frame chunks: every round wrote several segments; without pruning they all stay.
  assert.ok(
    kept.after[1]!.keys.filter((k) => k.startsWith('segments/')).length > 6,
    JSON.stringify(kept.after[1]!.keys),
  );
  assert.ok(kept.after[1]!.keys.includes('rounds/1/end.json'));

  for (const [round, state] of pruned.after.entries()) {
    const segments = state.keys.filter((k) => k.startsWith('segments/'));
    assert.equal(segments.length, 1, `after round ${round + 1}: one segment, got ${JSON.stringify(state.keys)}`);
    assert.deepEqual(state.keys, [`rounds/${round + 1}/end.json`, segments[0]].sort());
  }
  assert.equal(
    pruned.redisKeys.length,
    2,
    `Redis holds the pointer and its segment only: ${JSON.stringify(pruned.redisKeys)}`,
  );
  assert.ok(pruned.redisKeys.includes('2:end'));
  // Bounded: a correction round does not add to what the job keeps (the state is the same size).
  assert.ok(
    pruned.after[1]!.bytes <= pruned.after[0]!.bytes * 1.05,
    `${pruned.after[1]!.bytes} vs ${pruned.after[0]!.bytes}`,
  );
  assert.ok(
    pruned.after[1]!.bytes < kept.after[1]!.bytes / 2,
    `pruned ${pruned.after[1]!.bytes} B vs kept ${kept.after[1]!.bytes} B`,
  );

  assert.equal(pruned.masks.size, kept.masks.size);
  assert.ok(pruned.masks.size > 0);
  assert.deepEqual(diffMasks(pruned.masks, kept.masks), [], 'the correction round after pruning gives the same masks');
});
