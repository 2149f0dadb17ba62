// Suggested frames and annotation analytics over HTTP with a real worker: the suggestions of a finished
// job equal the ranking of what one uninterrupted engine session measured (masks, object scores,
// predicted IoUs, stored the way the worker stores them); previews and a round commit give the round's
// clicks, previews, frames and active seconds, per job, per key and per tenant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { VideoSession, type FrameResult } from '@masklet/engine';
import {
  packTrackSignals,
  packTrackStats,
  boxIou,
  rankSuggestions,
  unpackTrackSignals,
  unpackTrackStats,
  type FrameTrackStat,
  type ObjectTimeline,
} from '@masklet/masklets';
import { openVideoFile, type SyntheticClipResult } from '@masklet/video';
import { sharedModel, testClip } from '../worker/support';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, firstClicks, waitJob, waitVideo, type Api } from './support';

const FRAMES = 24;
let stack: Stack;
before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' });
});
after(async () => {
  await stack?.close();
});

async function waitRound(api: Api, id: string, round: number): Promise<void> {
  const job = await waitJob(api, id, round);
  assert.equal(job['status'], 'SUCCEEDED', JSON.stringify(job));
}

/** What one uninterrupted session gives for the job's clicks, stored and read back like the worker's track rows. */
async function expectedTimelines(clip: SyntheticClipResult): Promise<ObjectTimeline[]> {
  const source = await openVideoFile(clip.mp4Path!);
  const session = new VideoSession(await sharedModel(), source);
  const results = new Map<number, FrameResult>();
  const clicks = firstClicks(clip);
  try {
    for (const c of clicks) await session.addPoints(c.frame, c.objectId, c.points);
    for await (const r of session.propagate({ startFrame: Math.min(...clicks.map((c) => c.frame)) }))
      results.set(r.frame, r);
  } finally {
    await session.close();
    await source.close();
  }
  const frames = [...results.keys()].sort((a, b) => a - b);
  return clicks.map(({ objectId, frame: prompted }) => {
    const objs = frames.map((f) => results.get(f)!.objects.find((o) => o.objectId === objectId)!);
    const stats = unpackTrackStats(
      packTrackStats(
        objs.map((o) =>
          o.area && o.bbox
            ? { present: true, area: o.area, box: [o.bbox[0], o.bbox[1], o.bbox[0] + o.bbox[2], o.bbox[1] + o.bbox[3]] }
            : { present: false, area: 0, box: null },
        ),
      ),
      frames.length,
    );
    const signals = unpackTrackSignals(
      packTrackSignals(objs.map((o) => ({ score: o.objectScore, iou: o.predictedIou }))),
      frames.length,
    );
    return {
      objectId,
      frames: frames.map((f, i) => ({ frame: f, round: 1, stat: stats[i]!, signals: signals[i]! })),
      promptedFrames: new Set([prompted]),
      clickPrompts: new Set([prompted]),
      corrections: [],
    };
  });
}

test('suggestions of a finished job rank what the engine measured; a round excludes its prompts and flags the frames before a disagreeing correction', async () => {
  // A clip on which the reference model is unsure of some frames (five kinds of signal fire, lowIou among them):
  // on many seeds it tracks both clicked objects without a doubt, and there would be nothing to rank.
  const clip = await testClip(FRAMES, 2, 's1');
  const api = await apiFor(stack, 'suggest');
  const vid = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, vid.id);
  const created = await api.call('POST', '/v1/jobs', clickJob(vid.id, clip));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const jobId = created.body['id'] as string;
  await waitRound(api, jobId, 1);

  const got = await api.call<{
    jobId: string;
    round: number;
    items: { frame: number; objectId: number; score: number; reasons: { signal: string; value: number }[] }[];
  }>('GET', `/v1/jobs/${jobId}/suggestions?limit=500`);
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.equal(got.body.round, 1);
  const expected = rankSuggestions(await expectedTimelines(clip), 500);
  assert.ok(expected.length > 0, 'the engine flags some frames on this clip');
  assert.ok(
    expected.some((s) => s.reasons.some((r) => r.signal === 'lowIou')),
    'the predicted IoU is one of the signals',
  );
  assert.deepEqual(got.body.items, expected);
  const top = await api.call<{ items: unknown[] }>('GET', `/v1/jobs/${jobId}/suggestions?limit=3`);
  assert.deepEqual(top.body.items, expected.slice(0, 3));

  // A correction on a tracked frame that moves object 1's mask, in round 2 (forward from that frame).
  const o1 = clip.meta.objects[0]!;
  const frame = [...o1.clicks.keys()].find((f) => f >= 12 && o1.clicks[f] !== null)!;
  const [x, y] = o1.clicks[frame]!;
  const round = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [
      { frame, objectId: 1, box: { x0: Math.max(0, x - 6), y0: Math.max(0, y - 6), x1: x + 6, y1: y + 6 } },
    ],
  });
  assert.equal(round.status, 202, JSON.stringify(round.body));
  await waitRound(api, jobId, 2);
  const after2 = await api.call<typeof got.body>('GET', `/v1/jobs/${jobId}/suggestions?limit=500`);
  assert.equal(after2.body.round, 2);
  const keys = after2.body.items.map((s) => `${s.objectId}:${s.frame}`);
  assert.equal(new Set(keys).size, keys.length, 'a frame at most once per object');
  assert.ok(!keys.includes(`1:${frame}`), "the corrected frame is the annotator's, never suggested");
  for (let i = 1; i < after2.body.items.length; i++)
    assert.ok(after2.body.items[i - 1]!.score >= after2.body.items[i]!.score, 'best first');
  // How far the committed correction moved object 1's mask from round 1's (the box IoU the signal uses).
  type Masks = {
    frames: { objects: { objectId: number; area: number; bbox: [number, number, number, number] | null }[] }[];
  };
  const statOf = async (r: number): Promise<FrameTrackStat> => {
    const o = (
      await api.call<Masks>('GET', `/v1/jobs/${jobId}/masklets?round=${r}&from=${frame}&to=${frame + 1}`)
    ).body.frames[0]!.objects.find((m) => m.objectId === 1)!;
    return o.area && o.bbox
      ? { present: true, area: o.area, box: [o.bbox[0], o.bbox[1], o.bbox[0] + o.bbox[2], o.bbox[1] + o.bbox[3]] }
      : { present: false, area: 0, box: null };
  };
  const disagreement = Math.round((1 - boxIou(await statOf(1), await statOf(2))) * 1e4) / 1e4;
  const upstream = after2.body.items.filter((s) => s.reasons.some((r) => r.signal === 'promptDisagreement'));
  assert.equal(
    upstream.length > 0,
    disagreement > 0,
    `frames before the correction are flagged exactly when it moved the mask (1 - box IoU ${disagreement})`,
  );
  for (const s of upstream) {
    assert.ok(
      s.objectId === 1 && s.frame < frame && s.frame >= frame - 8,
      `frame ${s.frame} is before the correction and kept round 1's mask`,
    );
    assert.equal(s.reasons.find((r) => r.signal === 'promptDisagreement')!.value, disagreement);
  }
  // As of round 1 the answer is what it was.
  const asOf1 = await api.call<typeof got.body>('GET', `/v1/jobs/${jobId}/suggestions?round=1&limit=500`);
  assert.deepEqual(asOf1.body, got.body);

  const missing = await api.call<{ error: { code: string } }>('GET', `/v1/jobs/${jobId}/suggestions?round=9`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'ROUND_NOT_FOUND');
  const bad = await api.call<{ error: { code: string; message: string } }>(
    'GET',
    `/v1/jobs/${jobId}/suggestions?limit=0`,
  );
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /limit/);
  const other = await apiFor(stack, 'other-tenant');
  assert.equal((await other.call('GET', `/v1/jobs/${jobId}/suggestions`)).status, 404, 'another tenant sees no job');
});

test("previews then a round commit: the round's clicks, previews, frames and active seconds, per job, key and tenant", async () => {
  const clip = await testClip(FRAMES, 2, 'suggestions');
  const api = await apiFor(stack, 'effort');
  const vid = await api.client.uploadVideo(clip.mp4Path!);
  await waitVideo(api, vid.id);
  const created = await api.call('POST', '/v1/jobs', clickJob(vid.id, clip));
  const jobId = created.body['id'] as string;
  await waitRound(api, jobId, 1);

  const o1 = clip.meta.objects[0]!;
  const [fa, fb] = [...o1.clicks.keys()].filter((f) => f >= 8 && o1.clicks[f] !== null);
  const at = (f: number) => ({ x: o1.clicks[f]![0], y: o1.clicks[f]![1] });
  const firstSent = Date.now();
  const p1 = await api.call('POST', `/v1/jobs/${jobId}/preview`, {
    frame: fa!,
    objectId: 1,
    points: [{ ...at(fa!), label: 1 }],
  });
  assert.equal(p1.status, 200, JSON.stringify(p1.body));
  const firstAnswered = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(
    (
      await api.call('POST', `/v1/jobs/${jobId}/preview`, {
        frame: fb!,
        objectId: 1,
        points: [{ ...at(fb!), label: 1 }],
      })
    ).status,
    200,
  );
  const failed = await api.call('POST', `/v1/jobs/${jobId}/preview`, {
    frame: 999,
    objectId: 1,
    points: [{ x: 1, y: 1, label: 1 }],
  });
  assert.equal(failed.status, 422, 'a refused preview is not activity');
  const open = await api.call<{ open: { previews: number }[] }>('GET', `/v1/jobs/${jobId}/analytics`);
  assert.deepEqual(
    open.body.open.map((s) => s.previews),
    [2],
  );

  const commitSent = Date.now();
  const round = await api.call('POST', `/v1/jobs/${jobId}/rounds`, {
    corrections: [
      {
        frame: fa!,
        objectId: 1,
        points: [
          { ...at(fa!), label: 1 },
          { x: 2, y: 2, label: 0 },
        ],
      },
      { frame: fb!, objectId: 1, box: { x0: at(fb!).x - 5, y0: at(fb!).y - 5, x1: at(fb!).x + 5, y1: at(fb!).y + 5 } },
      { frame: fb!, objectId: 2, points: [{ x: 3, y: 3, label: 0 }] },
    ],
  });
  const commitAnswered = Date.now();
  assert.equal(round.status, 202, JSON.stringify(round.body));
  await waitRound(api, jobId, 2);

  type Effort = {
    clicks: number;
    previews: number | null;
    activeSeconds: number | null;
    framesChanged: number;
    secondsPerFrame: number | null;
  };
  const a = await api.call<{
    rounds: (Effort & { round: number; apiKeyId: string })[];
    perKey: (Effort & { apiKeyId: string; keyName: string; rounds: number })[];
    totals: Effort & { rounds: number };
    open: unknown[];
  }>('GET', `/v1/jobs/${jobId}/analytics`);
  assert.equal(a.status, 200, JSON.stringify(a.body));
  const [r1, r2] = a.body.rounds;
  // Round 1: the job's two first clicks on their two frames, no previews before a job exists.
  assert.deepEqual(
    { ...r1, createdAt: 0, apiKeyId: 0 },
    {
      round: 1,
      status: 'SUCCEEDED',
      createdAt: 0,
      apiKeyId: 0,
      clicks: 2,
      previews: null,
      activeSeconds: null,
      framesChanged: new Set(firstClicks(clip).map((c) => c.frame)).size,
      secondsPerFrame: null,
    },
  );
  // Round 2: 2 points + 1 box + 1 point = 4 clicks on 2 frames, after 2 previews.
  assert.equal(r2!.clicks, 4);
  assert.equal(r2!.previews, 2);
  assert.equal(r2!.framesChanged, 2);
  const active = r2!.activeSeconds!;
  assert.ok(
    active >= (commitSent - firstAnswered) / 1000 - 0.05 && active <= (commitAnswered - firstSent) / 1000 + 0.05,
    `active ${active}s within [${(commitSent - firstAnswered) / 1000}, ${(commitAnswered - firstSent) / 1000}]`,
  );
  assert.ok(active >= 1.5, 'the pause between previews counts');
  assert.equal(r2!.secondsPerFrame, Math.round((active / 2) * 1000) / 1000);
  assert.deepEqual(a.body.open, [], 'the commit closed the session');
  assert.equal(a.body.perKey.length, 1);
  assert.equal(a.body.perKey[0]!.keyName, 'effort');
  assert.deepEqual(
    { ...a.body.totals },
    {
      rounds: 2,
      clicks: 6,
      previews: 2,
      activeSeconds: active,
      framesChanged: r1!.framesChanged + 2,
      secondsPerFrame: r2!.secondsPerFrame,
    },
  );

  // A preview after the commit opens the next session; the tenant view sums the key's rounds.
  assert.equal(
    (
      await api.call('POST', `/v1/jobs/${jobId}/preview`, {
        frame: fa!,
        objectId: 1,
        points: [{ ...at(fa!), label: 1 }],
      })
    ).status,
    200,
  );
  assert.deepEqual(
    (await api.call<{ open: { previews: number }[] }>('GET', `/v1/jobs/${jobId}/analytics`)).body.open.map(
      (s) => s.previews,
    ),
    [1],
  );
  const tenant = await api.call<{
    perKey: { apiKeyId: string; rounds: number; clicks: number }[];
    totals: { rounds: number; clicks: number; activeSeconds: number };
  }>('GET', '/v1/analytics');
  assert.equal(tenant.status, 200, JSON.stringify(tenant.body));
  assert.deepEqual(tenant.body.totals, a.body.totals);
  assert.deepEqual(tenant.body.perKey, a.body.perKey);
  const later = new Date(Date.now() + 60_000).toISOString();
  const empty = await api.call<{ totals: { rounds: number } }>(
    'GET',
    `/v1/analytics?from=${encodeURIComponent(later)}&to=${encodeURIComponent(new Date(Date.now() + 120_000).toISOString())}`,
  );
  assert.equal(empty.body.totals.rounds, 0);
  const backwards = await api.call<{ error: { code: string; message: string } }>(
    'GET',
    `/v1/analytics?from=${encodeURIComponent(later)}&to=2020-01-01T00:00:00Z`,
  );
  assert.equal(backwards.status, 400);
  assert.match(backwards.body.error.message, /from must be before to/);
  const junk = await api.call<{ error: { code: string } }>('GET', '/v1/analytics?from=yesterday');
  assert.equal(junk.status, 400);
  const other = await apiFor(stack, 'other');
  assert.equal((await other.call('GET', `/v1/jobs/${jobId}/analytics`)).status, 404);
  assert.equal(
    (await other.call<{ totals: { rounds: number } }>('GET', '/v1/analytics')).body.totals.rounds,
    0,
    'another tenant sees none of it',
  );
});
