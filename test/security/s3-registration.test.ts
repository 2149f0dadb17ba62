// Item 2 of issue 14: an s3:// registration can only name a plain key in a configured ingest area,
// never the platform's own objects or another bucket through path tricks, and the answer for a
// forbidden key does not depend on whether that object exists.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, syntheticMp4, testConfig, uploadClip, type TestApi } from '../api/helpers';

let api: TestApi;
let scoped: TestApi;
const bucket = testConfig().S3_BUCKET;
before(async () => {
  api = await startApi('s3-reg');
  scoped = await startApi('s3-reg-scoped', { S3_INGEST_PREFIXES: `${bucket}/ingest/{tenant}/` });
});
after(async () => {
  await api?.close();
  await scoped?.close();
});

async function videoCount(t: TestApi, tenantId: string): Promise<number> {
  return t.prisma.video.count({ where: { tenantId } });
}

test("another tenant's uploaded source cannot be registered, and the refusal is the same whether it exists or not", async () => {
  const a = await uploadClip(api);
  const aRow = await api.prisma.video.findUniqueOrThrow({ where: { id: a.id } });
  assert.ok(await api.store.head(aRow.s3Key), "A's source exists");
  const b = await api.newTenant('s3-reg-b');
  const existing = `s3://${bucket}/${aRow.s3Key}`;
  const missing = `s3://${bucket}/${aRow.s3Key.replace(a.id, '00000000-0000-4000-8000-000000000000')}`;
  const r1 = await call(api, 'POST', '/v1/videos', { key: b.key.key, json: { uri: existing } });
  const r2 = await call(api, 'POST', '/v1/videos', { key: b.key.key, json: { uri: missing } });
  assert.equal(r1.status, 403, JSON.stringify(r1.body));
  assert.equal(r1.body.error.code, 'S3_KEY_NOT_ALLOWED');
  assert.match(r1.body.error.message, /tenants\//);
  assert.deepEqual([r2.status, r2.body], [r1.status, r1.body], 'no existence oracle on the platform prefix');
  assert.equal(await videoCount(api, b.tenant.id), 0, 'no video row was created for B');
});

test('path tricks are refused as INVALID_S3_KEY before any bucket is touched', async () => {
  const clip = await syntheticMp4();
  const secret = api.store.forBucket(`secret-${Date.now().toString(36)}`);
  await secret.ensureBucket();
  await secret.putBuffer('clip.mp4', clip.bytes, 'video/mp4');
  await api.store.putBuffer('incoming/ok.mp4', clip.bytes, 'video/mp4');
  const b = await api.newTenant('s3-reg-tricks');
  const tricks = [
    `s3://${bucket}/../${secret.bucket}/clip.mp4`,
    `s3://${bucket}/incoming/../../${secret.bucket}/clip.mp4`,
    `s3://${bucket}/incoming/%2e%2e/%2E%2E/${secret.bucket}/clip.mp4`,
    `s3://${bucket}/incoming%2f..%2f..%2f${secret.bucket}%2fclip.mp4`,
    `s3://${bucket}/incoming/..\\..\\${secret.bucket}\\clip.mp4`,
    `s3://${bucket}//${secret.bucket}/clip.mp4`,
    `s3://${bucket}/incoming/./ok.mp4`,
  ];
  for (const uri of tricks) {
    const r = await call(api, 'POST', '/v1/videos', { key: b.key.key, json: { uri } });
    assert.equal(r.status, 400, `${uri}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'INVALID_S3_KEY', uri);
  }
  const direct = await call(api, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${secret.bucket}/clip.mp4` },
  });
  assert.equal(direct.status, 403);
  assert.equal(direct.body.error.code, 'BUCKET_NOT_ALLOWED');
  assert.equal(await videoCount(api, b.tenant.id), 0);
  // The plain key of an allowed object still registers.
  const ok = await call(api, 'POST', '/v1/videos', { key: b.key.key, json: { uri: `s3://${bucket}/incoming/ok.mp4` } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
});

test("with S3_INGEST_PREFIXES a tenant registers only under its own ingest prefix; others' objects answer like missing ones", async () => {
  const clip = await syntheticMp4();
  const a = await scoped.newTenant('ingest-a');
  const b = await scoped.newTenant('ingest-b');
  await scoped.store.putBuffer(`ingest/${a.tenant.id}/clip.mp4`, clip.bytes, 'video/mp4');
  await scoped.store.putBuffer(`ingest/${b.tenant.id}/clip.mp4`, clip.bytes, 'video/mp4');
  await scoped.store.putBuffer('incoming/shared.mp4', clip.bytes, 'video/mp4');

  const own = await call(scoped, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${bucket}/ingest/${b.tenant.id}/clip.mp4` },
  });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.frameCount, clip.frames);

  const others = await call(scoped, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${bucket}/ingest/${a.tenant.id}/clip.mp4` },
  });
  const othersMissing = await call(scoped, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${bucket}/ingest/${a.tenant.id}/none.mp4` },
  });
  assert.equal(others.status, 403, JSON.stringify(others.body));
  assert.equal(others.body.error.code, 'S3_KEY_NOT_ALLOWED');
  assert.match(others.body.error.message, new RegExp(`ingest/${b.tenant.id}/`), 'the message names the allowed prefix');
  assert.equal(othersMissing.status, others.status);
  assert.equal(othersMissing.body.error.code, others.body.error.code);
  assert.equal(othersMissing.body.error.message.replace('none.mp4', 'clip.mp4'), others.body.error.message);

  const outside = await call(scoped, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${bucket}/incoming/shared.mp4` },
  });
  assert.equal(outside.status, 403);
  assert.equal(outside.body.error.code, 'S3_KEY_NOT_ALLOWED');

  const ownMissing = await call(scoped, 'POST', '/v1/videos', {
    key: b.key.key,
    json: { uri: `s3://${bucket}/ingest/${b.tenant.id}/none.mp4` },
  });
  assert.equal(ownMissing.status, 422, 'inside its own prefix, a missing object is named as missing');
  assert.equal(ownMissing.body.error.code, 'SOURCE_OBJECT_NOT_FOUND');
  assert.equal(await videoCount(scoped, b.tenant.id), 1, 'only the own-prefix registration created a video');
});
