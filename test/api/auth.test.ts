import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../e2e/free-port';
import { call, scrapeMetrics, startApi, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('auth', { API_METRICS_PORT: String(await freePort()) });
});
after(async () => api?.close());

const SOME_ID = '6f1c1d3e-0000-4000-8000-000000000000';

test('no Authorization header is 401 MISSING_API_KEY', async () => {
  const r = await call(api, 'GET', `/v1/jobs/${SOME_ID}`, { key: null });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'MISSING_API_KEY');
});

test('malformed, unknown and wrong-secret keys are 401 INVALID_API_KEY', async () => {
  const wrongSecret = `${api.key.key.slice(0, -4)}AAAA`;
  for (const key of ['nonsense', 'mk_000000000000_abcdefghijklmnopqrstuvwxyz', wrongSecret]) {
    const r = await call(api, 'GET', `/v1/jobs/${SOME_ID}`, { key });
    assert.equal(r.status, 401, key);
    assert.equal(r.body.error.code, 'INVALID_API_KEY');
  }
  const basic = await call(api, 'GET', '/v1/jobs', { key: null, headers: { authorization: 'Basic dXNlcjpwdw==' } });
  assert.equal(basic.status, 401);
  assert.equal(basic.body.error.code, 'INVALID_API_KEY');
});

test('a revoked key is 401 API_KEY_REVOKED, at once', async () => {
  const k = await api.admin.createKey(api.tenant.id, ['read'], 'to-revoke');
  const before = await call(api, 'GET', '/v1/jobs', { key: k.key });
  assert.equal(before.status, 200);
  await api.admin.revokeKey(k.prefix);
  const r = await call(api, 'GET', '/v1/jobs', { key: k.key });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'API_KEY_REVOKED');
  assert.match(r.body.error.message, new RegExp(k.prefix));
});

test('a key without the needed scope is 403 INSUFFICIENT_SCOPE; admin passes everything', async () => {
  const reader = await api.admin.createKey(api.tenant.id, ['read'], 'reader');
  const r = await call(api, 'POST', '/v1/jobs', { key: reader.key, json: { videoId: SOME_ID, objects: [] } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'INSUFFICIENT_SCOPE');
  assert.match(r.body.error.message, /submit/);
  const submitter = await api.admin.createKey(api.tenant.id, ['submit'], 'submitter');
  const list = await call(api, 'GET', '/v1/jobs', { key: submitter.key });
  assert.equal(list.status, 403);
  const admin = await api.admin.createKey(api.tenant.id, ['admin'], 'admin');
  const ok = await call(api, 'GET', '/v1/jobs', { key: admin.key });
  assert.equal(ok.status, 200);
});

test('lastUsedAt is recorded, and keys are stored as scrypt hashes only', async () => {
  const k = await api.admin.createKey(api.tenant.id, ['read'], 'touch');
  await call(api, 'GET', '/v1/jobs', { key: k.key });
  let row = await api.prisma.apiKey.findUniqueOrThrow({ where: { prefix: k.prefix } });
  for (let i = 0; i < 20 && !row.lastUsedAt; i++) {
    await new Promise((r) => setTimeout(r, 50));
    row = await api.prisma.apiKey.findUniqueOrThrow({ where: { prefix: k.prefix } });
  }
  assert.ok(row.lastUsedAt, 'lastUsedAt set');
  assert.match(row.hash, /^scrypt\$/);
  const secret = k.key.slice('mk_'.length + k.prefix.length + 1); // base64url: may itself contain '_'
  assert.ok(secret.length >= 40 && !row.hash.includes(secret));
});

test('healthz, readyz and docs need no key; metrics are on their own listener; unknown routes are JSON 404', async () => {
  const h = await call(api, 'GET', '/healthz', { key: null });
  assert.deepEqual([h.status, h.body.status], [200, 'ok']);
  const r = await call(api, 'GET', '/readyz', { key: null });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.checks, { postgres: 'ok', redis: 'ok', s3: 'ok' });
  const m = await scrapeMetrics(api);
  assert.equal(m.status, 200);
  assert.match(m.body, /masklet_http_request_duration_seconds_bucket\{.*route="\/readyz"/);
  assert.match(m.body, /masklet_queue_jobs\{queue="segment\.masklet-reference",state="waiting"\}/);
  const d = await call(api, 'GET', '/docs-json', { key: null });
  assert.equal(d.status, 200);
  assert.ok(d.body.paths['/v1/jobs'], 'OpenAPI lists /v1/jobs');
  assert.ok(d.body.paths['/v1/batches'], 'OpenAPI lists /v1/batches');
  const nf = await call(api, 'GET', '/v1/nothing-here');
  assert.equal(nf.status, 404);
  assert.equal(nf.body.error.code, 'ROUTE_NOT_FOUND');
});
