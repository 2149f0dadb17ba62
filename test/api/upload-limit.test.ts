import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, syntheticMp4, videoForm, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('upload-limit', { MAX_UPLOAD_BYTES: '4096', MAX_VIDEO_FRAMES: '1000' });
});
after(async () => api?.close());

test('an upload over MAX_UPLOAD_BYTES is 413 UPLOAD_TOO_LARGE and leaves no object behind', async () => {
  const clip = await syntheticMp4();
  assert.ok(clip.bytes.length > 4096);
  const big = Buffer.concat([clip.bytes, Buffer.alloc(3 * 1024 * 1024, 7)]);
  const r = await call(api, 'POST', '/v1/videos', { form: videoForm(big) });
  assert.equal(r.status, 413, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'UPLOAD_TOO_LARGE');
  assert.match(r.body.error.message, /4096/);
  const row = await api.prisma.video.findFirstOrThrow({
    where: { tenantId: api.tenant.id },
    orderBy: { createdAt: 'desc' },
  });
  assert.equal(row.status, 'FAILED');
  assert.equal(await api.store.head(row.s3Key), null);
  // The server still answers on the same process afterwards.
  const ok = await call(api, 'GET', '/healthz', { key: null });
  assert.equal(ok.status, 200);
});

test('a registered object over MAX_UPLOAD_BYTES is 413 too', async () => {
  const clip = await syntheticMp4();
  const key = `incoming/${Date.now()}-big.mp4`;
  await api.store.putBuffer(key, clip.bytes);
  const r = await call(api, 'POST', '/v1/videos', { json: { uri: `s3://${api.config.S3_BUCKET}/${key}` } });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'UPLOAD_TOO_LARGE');
});
