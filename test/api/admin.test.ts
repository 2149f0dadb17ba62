// Operator endpoints: operator keys only, fleet snapshot shape, cross-tenant job list, retry of FAILED jobs,
// the tenant override header, frame JPEGs, swim lanes.
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('admin');
});
after(async () => api?.close());

test('fleet, admin job list and tenants need an operator key', async () => {
  const reader = await api.admin.createKey(api.tenant.id, ['read', 'submit'], 'reader');
  for (const path of ['/v1/admin/fleet', '/v1/admin/jobs', '/v1/admin/tenants']) {
    for (const key of [reader.key, api.key.key]) {
      const r = await call(api, 'GET', path, { key });
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, 'OPERATOR_ONLY');
    }
  }
  const fleet = await call(api, 'GET', '/v1/admin/fleet', { key: api.operator.key });
  assert.equal(fleet.status, 200);
  assert.deepEqual(fleet.body.queues.map((q: { name: string }) => q.name).sort(), [
    'export',
    'ingest',
    'preview.masklet-reference',
    'segment.masklet-reference',
    'webhook',
  ]);
  assert.equal(fleet.body.throughput.length, 60, 'one point per minute of the last hour');
  assert.ok(Array.isArray(fleet.body.workers) && Array.isArray(fleet.body.failedJobs));
});

test('a seeded stale worker shows as STALE holding no job, one dead for an hour is forgotten; a FAILED job is listed and retried once, then 409', async () => {
  const staleId = `stale-${Date.now()}`;
  after(() => api.prisma.worker.delete({ where: { id: staleId } }).then(() => undefined));
  await api.prisma.worker.create({
    data: {
      id: staleId,
      host: 'gpu-node-7',
      pid: 42,
      device: 'cuda:0 (NVIDIA H200)',
      model: 'sam2.1-tiny',
      state: 'BUSY',
      currentJobId: randomUUID(),
      heartbeatAt: new Date(Date.now() - 60_000),
    },
  });
  // Dead for two hours: gone from the fleet.
  const deadId = `dead-${Date.now()}`;
  after(() => api.prisma.worker.deleteMany({ where: { id: deadId } }).then(() => undefined));
  await api.prisma.worker.create({
    data: {
      id: deadId,
      host: 'gpu-node-8',
      pid: 43,
      device: 'cpu',
      model: 'sam2.1-tiny',
      state: 'BUSY',
      currentJobId: randomUUID(),
      heartbeatAt: new Date(Date.now() - 2 * 3600_000),
    },
  });
  const video = await uploadClip(api);
  const job = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  assert.equal(job.status, 201);
  await api.prisma.job.update({
    where: { id: job.body.id },
    data: { status: 'FAILED', errorCode: 'engine.oom', error: 'out of memory on frame 12', finishedAt: new Date() },
  });
  await api.prisma.round.updateMany({ where: { jobId: job.body.id }, data: { status: 'FAILED' } });

  const fleet = await call(api, 'GET', '/v1/admin/fleet', { key: api.operator.key });
  const stale = fleet.body.workers.find((w: { host: string }) => w.host === 'gpu-node-7');
  assert.equal(stale.state, 'STALE');
  assert.equal(stale.currentJobId, null, 'a dead worker holds no job');
  assert.equal(
    fleet.body.workers.find((w: { host: string }) => w.host === 'gpu-node-8'),
    undefined,
    'forgotten after an hour',
  );
  const failed = fleet.body.failedJobs.find((j: { id: string }) => j.id === job.body.id);
  assert.equal(failed.errorCode, 'engine.oom');
  assert.equal(failed.tenantId, api.tenant.id);

  const listed = await call(api, 'GET', `/v1/admin/jobs?tenant=${api.tenant.id}&status=FAILED`, {
    key: api.operator.key,
  });
  assert.ok(listed.body.items.some((j: { id: string }) => j.id === job.body.id));
  const other = await api.newTenant('admin-other');
  const none = await call(api, 'GET', `/v1/admin/jobs?tenant=${other.tenant.id}`, { key: api.operator.key });
  assert.equal(none.body.items.length, 0, 'the tenant filter applies');
  const badFilter = await call(api, 'GET', '/v1/admin/jobs?status=DONE', { key: api.operator.key });
  assert.equal(badFilter.status, 400);

  const retry = await call(api, 'POST', `/v1/admin/jobs/${job.body.id}/retry`, { key: api.operator.key });
  assert.equal(retry.status, 202);
  assert.equal((await api.prisma.job.findUniqueOrThrow({ where: { id: job.body.id } })).status, 'QUEUED');
  const again = await call(api, 'POST', `/v1/admin/jobs/${job.body.id}/retry`, { key: api.operator.key });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'JOB_NOT_FAILED');
  const missing = await call(api, 'POST', '/v1/admin/jobs/not-a-job/retry', { key: api.operator.key });
  assert.equal(missing.status, 404);
});

test('x-masklet-tenant: operators act inside another tenant, other keys are refused, bad ids are 400', async () => {
  const other = await api.newTenant('admin-target');
  const video = await uploadClip(api, other.key.key);
  const asOperator = await call(api, 'GET', `/v1/videos/${video.id}`, {
    key: api.operator.key,
    headers: { 'x-masklet-tenant': other.tenant.id },
  });
  assert.equal(asOperator.status, 200);
  const withoutHeader = await call(api, 'GET', `/v1/videos/${video.id}`);
  assert.equal(withoutHeader.status, 404);
  const reader = await api.admin.createKey(api.tenant.id, ['read'], 'reader2');
  const refused = await call(api, 'GET', `/v1/videos/${video.id}`, {
    key: reader.key,
    headers: { 'x-masklet-tenant': other.tenant.id },
  });
  assert.equal(refused.status, 403);
  const bad = await call(api, 'GET', `/v1/videos/${video.id}`, {
    key: api.operator.key,
    headers: { 'x-masklet-tenant': 'nope' },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'INVALID_TENANT');
});

test('frame JPEGs: the right size, 404 past the end, 400 for a bad index', async () => {
  const video = await uploadClip(api);
  const res = await fetch(`${api.base}/v1/videos/${video.id}/frames/3?maxWidth=160`, {
    headers: { authorization: `Bearer ${api.key.key}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  const jpeg = Buffer.from(await res.arrayBuffer());
  assert.equal(jpeg.readUInt16BE(0), 0xffd8, 'JPEG magic');
  const past = await call(api, 'GET', `/v1/videos/${video.id}/frames/${video.frameCount}`);
  assert.equal(past.status, 404);
  assert.equal(past.body.error.code, 'FRAME_NOT_AVAILABLE');
  const bad = await call(api, 'GET', `/v1/videos/${video.id}/frames/-1`);
  assert.equal(bad.status, 400);
});

test('swim lanes of a job without results: every object, its prompt markers, no presence yet', async () => {
  const video = await uploadClip(api);
  const job = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const lanes = await call(api, 'GET', `/v1/jobs/${job.body.id}/tracks`);
  assert.equal(lanes.status, 200);
  assert.ok(lanes.body.objects.length >= 1);
  for (const o of lanes.body.objects) {
    assert.deepEqual(o.present, []);
    assert.ok(o.prompts.length >= 1 && o.prompts.every((p: { round: number }) => p.round === 1));
  }
});
