import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, syntheticMp4, videoForm, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('video-limits', { MAX_VIDEO_FRAMES: '20', MAX_VIDEO_SECONDS: '100' });
});
after(async () => api?.close());

test('a video with more frames than MAX_VIDEO_FRAMES is 422 VIDEO_TOO_MANY_FRAMES and deleted', async () => {
  const clip = await syntheticMp4();
  const r = await call(api, 'POST', '/v1/videos', { form: videoForm(clip.bytes) });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'VIDEO_TOO_MANY_FRAMES');
  assert.match(r.body.error.message, /30 frames; the limit is 20/);
  const row = await api.prisma.video.findFirstOrThrow({
    where: { tenantId: api.tenant.id },
    orderBy: { createdAt: 'desc' },
  });
  assert.equal(row.status, 'FAILED');
  assert.equal(await api.store.head(row.s3Key), null);
});
