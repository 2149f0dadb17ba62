import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { ingestJobId, QUEUES } from '@masklet/queue';
import { call, startApi, syntheticMp4, videoForm, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('videos');
});
after(async () => api?.close());

test('an uploaded mp4 is probed, hashed and READY; GET returns it; an ingest job is queued', async () => {
  const clip = await syntheticMp4();
  const r = await call(api, 'POST', '/v1/videos', { form: videoForm(clip.bytes, 'clip.mp4') });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const v = r.body;
  assert.equal(v.status, 'READY');
  assert.equal(v.frameCount, 30);
  assert.equal(v.width, 160);
  assert.equal(v.height, 120);
  assert.equal(v.codec, 'h264');
  assert.equal(v.sizeBytes, clip.bytes.length);
  assert.equal(v.sha256, createHash('sha256').update(clip.bytes).digest('hex'));
  assert.equal(v.filename, 'clip.mp4');
  assert.ok(Math.abs(v.fps - 10) < 0.01);
  const g = await call(api, 'GET', `/v1/videos/${v.id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.body, v);
  const row = await api.prisma.video.findUniqueOrThrow({ where: { id: v.id } });
  const stored = await api.store.getBuffer(row.s3Key);
  assert.ok(stored.equals(clip.bytes), 'the stored object is the uploaded file');
  const ingest = new Queue(QUEUES.ingest, { connection: api.redis });
  const entry = await ingest.getJob(ingestJobId(v.id));
  await ingest.close();
  assert.ok(entry, 'an ingest job was queued');
  assert.deepEqual(entry.data, { videoId: v.id, tenantId: api.tenant.id });
});

test('an s3:// object in the allowed bucket is registered without copying', async () => {
  const clip = await syntheticMp4();
  const key = `incoming/${Date.now()}-clip.mp4`;
  await api.store.putBuffer(key, clip.bytes, 'video/mp4');
  const uri = `s3://${api.config.S3_BUCKET}/${key}`;
  const r = await call(api, 'POST', '/v1/videos', { json: { uri } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, 'READY');
  assert.equal(r.body.sourceUri, uri);
  assert.equal(r.body.frameCount, 30);
  assert.equal(r.body.sha256, createHash('sha256').update(clip.bytes).digest('hex'));
  const row = await api.prisma.video.findUniqueOrThrow({ where: { id: r.body.id } });
  assert.equal(row.s3Key, key);
});

test('a text file is rejected as NOT_A_VIDEO (415), the object deleted and the video FAILED', async () => {
  const r = await call(api, 'POST', '/v1/videos', {
    form: videoForm(Buffer.from('hello, this is not a video\n'.repeat(50)), 'notes.txt', 'text/plain'),
  });
  assert.equal(r.status, 415, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'NOT_A_VIDEO');
  assert.match(r.body.error.message, /notes\.txt.*not a video/);
  const failed = await api.prisma.video.findFirst({
    where: { tenantId: api.tenant.id, filename: null, status: 'FAILED' },
    orderBy: { createdAt: 'desc' },
  });
  assert.ok(failed, 'the rejected video is marked FAILED');
  assert.equal(await api.store.head(failed.s3Key), null, 'the rejected object is deleted');
});

test('registration errors: bucket not allowed (403), not an s3 URI (400), missing object (422), unknown field (400)', async () => {
  const other = await call(api, 'POST', '/v1/videos', { json: { uri: 's3://someone-elses-bucket/video.mp4' } });
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'BUCKET_NOT_ALLOWED');
  assert.match(other.body.error.message, /someone-elses-bucket/);
  const bad = await call(api, 'POST', '/v1/videos', { json: { uri: 'https://example.com/v.mp4' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'INVALID_S3_URI');
  const missing = await call(api, 'POST', '/v1/videos', {
    json: { uri: `s3://${api.config.S3_BUCKET}/nope/missing.mp4` },
  });
  assert.equal(missing.status, 422);
  assert.equal(missing.body.error.code, 'SOURCE_OBJECT_NOT_FOUND');
  const unknown = await call(api, 'POST', '/v1/videos', {
    json: { uri: `s3://${api.config.S3_BUCKET}/x.mp4`, colour: 'red' },
  });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'UNKNOWN_FIELD');
  assert.match(unknown.body.error.message, /colour/);
});

test('multipart without a "file" field is MISSING_FILE; other content types are 415', async () => {
  const form = new FormData();
  form.append('title', 'no file here');
  const r = await call(api, 'POST', '/v1/videos', { form });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'MISSING_FILE');
  const t = await call(api, 'POST', '/v1/videos', { raw: 'abc', headers: { 'content-type': 'text/plain' } });
  assert.equal(t.status, 415);
  assert.equal(t.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
});

test('an unknown or malformed video id is VIDEO_NOT_FOUND (404)', async () => {
  for (const id of ['6f1c1d3e-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const r = await call(api, 'GET', `/v1/videos/${id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'VIDEO_NOT_FOUND');
  }
});
