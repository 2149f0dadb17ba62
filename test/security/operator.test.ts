// Item 4 of issue 14: a tenant's admin key never crosses tenants; operator keys (CLI only) do, and
// every cross-tenant action and fleet-wide view they take is audit-logged (a log line and a row).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { call, jobBody, startApi, uploadClip, type TestApi } from '../api/helpers';

const lines: Array<Record<string, unknown>> = [];
let api: TestApi;
before(async () => {
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  api = await startApi('operator', {}, { logger });
});
after(async () => api?.close());

test('a tenant admin key cannot read or create anything in another tenant through x-masklet-tenant', async () => {
  const victim = await api.newTenant('operator-victim');
  const video = await uploadClip(api, victim.key.key);
  const jobsBefore = await api.prisma.job.count({ where: { tenantId: victim.tenant.id } });
  const header = { 'x-masklet-tenant': victim.tenant.id };
  const read = await call(api, 'GET', `/v1/videos/${video.id}`, { headers: header });
  assert.equal(read.status, 403, JSON.stringify(read.body));
  assert.equal(read.body.error.code, 'OPERATOR_ONLY');
  const list = await call(api, 'GET', '/v1/jobs', { headers: header });
  assert.equal(list.status, 403);
  const create = await call(api, 'POST', '/v1/jobs', { headers: header, json: jobBody(video.id) });
  assert.equal(create.status, 403);
  assert.equal(
    await api.prisma.job.count({ where: { tenantId: victim.tenant.id } }),
    jobsBefore,
    'no job was created in the victim tenant',
  );
  // Naming its own tenant is harmless and allowed.
  const own = await call(api, 'GET', '/v1/videos', { headers: { 'x-masklet-tenant': api.tenant.id } });
  assert.equal(own.status, 200);
});

test('a tenant admin key opens neither the fleet views nor bull-board; an operator key does', async () => {
  for (const [method, path] of [
    ['GET', '/v1/admin/fleet'],
    ['GET', '/v1/admin/jobs'],
    ['GET', '/v1/admin/tenants'],
    ['GET', '/admin/queues/api/queues'],
  ] as const) {
    const r = await call(api, method, path);
    assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'OPERATOR_ONLY', path);
  }
  const tenants = await call(api, 'GET', '/v1/admin/tenants', { key: api.operator.key });
  assert.equal(tenants.status, 200);
  const board = await call(api, 'GET', '/admin/queues/api/queues', { key: api.operator.key });
  assert.equal(board.status, 200, JSON.stringify(board.body).slice(0, 200));
  assert.ok(Array.isArray(board.body.queues));
});

test("an operator's cross-tenant actions are recorded: who, which tenant, what", async () => {
  const victim = await api.newTenant('operator-audited');
  const video = await uploadClip(api, victim.key.key);
  const since = new Date();
  lines.length = 0;
  const header = { 'x-masklet-tenant': victim.tenant.id };
  const read = await call(api, 'GET', `/v1/videos/${video.id}`, { key: api.operator.key, headers: header });
  assert.equal(read.status, 200);
  assert.equal(read.body.id, video.id);
  const created = await call(api, 'POST', '/v1/jobs', {
    key: api.operator.key,
    headers: header,
    json: jobBody(video.id),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await api.prisma.job.findUniqueOrThrow({ where: { id: created.body.id } })).tenantId, victim.tenant.id);
  const fleet = await call(api, 'GET', '/v1/admin/fleet', { key: api.operator.key });
  assert.equal(fleet.status, 200);
  // The operator's own-tenant work is not cross-tenant: not recorded.
  await call(api, 'GET', '/v1/videos', { key: api.operator.key });

  const rows = await api.prisma.auditEvent.findMany({
    where: { apiKeyId: api.operator.id, createdAt: { gte: since } },
    orderBy: { createdAt: 'asc' },
  });
  assert.deepEqual(
    rows.map((r) => [r.keyPrefix, r.tenantId, r.action]),
    [
      [api.operator.prefix, victim.tenant.id, 'GET /v1/videos/:id'],
      [api.operator.prefix, victim.tenant.id, 'POST /v1/jobs'],
      [api.operator.prefix, null, 'GET /v1/admin/fleet'],
    ],
  );
  assert.equal(rows[0]!.path, `/v1/videos/${video.id}`);
  const logged = lines.filter((l) => l['audit'] === true);
  assert.deepEqual(
    logged.map((l) => [l['operatorKeyId'], l['tenantId'], l['action']]),
    rows.map((r) => [api.operator.id, r.tenantId, r.action]),
    'one pino line per recorded action',
  );
  // A tenant admin's refused attempt leaves no audit row (it did nothing).
  await call(api, 'GET', `/v1/videos/${video.id}`, { headers: header });
  assert.equal(await api.prisma.auditEvent.count({ where: { apiKeyId: api.key.id } }), 0);
});
