// Size limits checked on the probe before a video is accepted: each refusal names the limit and leaves
// no object behind. The clip is 160x120, 30 frames at 10 fps (3 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, syntheticMp4, videoForm } from './helpers';

async function refused(overrides: Record<string, string>, code: string, message: RegExp): Promise<void> {
  const api = await startApi('video-limits', overrides);
  try {
    const clip = await syntheticMp4();
    const r = await call(api, 'POST', '/v1/videos', { form: videoForm(clip.bytes) });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code);
    assert.match(r.body.error.message, message);
    const row = await api.prisma.video.findFirstOrThrow({
      where: { tenantId: api.tenant.id },
      orderBy: { createdAt: 'desc' },
    });
    assert.equal(row.status, 'FAILED');
    assert.equal(await api.store.head(row.s3Key), null);
  } finally {
    await api.close();
  }
}

test('a video with more frames than MAX_VIDEO_FRAMES is 422 VIDEO_TOO_MANY_FRAMES and deleted', () =>
  refused({ MAX_VIDEO_FRAMES: '20', MAX_VIDEO_SECONDS: '100' }, 'VIDEO_TOO_MANY_FRAMES', /30 frames; the limit is 20/));

test('a video longer than MAX_VIDEO_SECONDS is 422 VIDEO_TOO_LONG and deleted', () =>
  refused({ MAX_VIDEO_SECONDS: '2.5' }, 'VIDEO_TOO_LONG', /lasts 3\.0 s; the limit is 2\.5 s/));

test('a video with more pixels per frame than MAX_VIDEO_PIXELS is 422 VIDEO_TOO_LARGE and deleted; at the limit it is accepted', async () => {
  await refused(
    { MAX_VIDEO_PIXELS: String(160 * 120 - 1) },
    'VIDEO_TOO_LARGE',
    /160x120 = 19200 pixels per frame; the limit is 19199/,
  );
  const api = await startApi('video-limits', { MAX_VIDEO_PIXELS: String(160 * 120) });
  try {
    const r = await call(api, 'POST', '/v1/videos', { form: videoForm((await syntheticMp4()).bytes) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.width * r.body.height, 19200);
  } finally {
    await api.close();
  }
});
