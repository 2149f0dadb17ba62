// Issue 14, data lifecycle: DELETE of a job, a video and a tenant leaves nothing of them in S3, Redis or
// Postgres (the whole bucket and keyspace are listed before and after), other tenants' data stays, and
// a repeated DELETE answers 404.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import IORedis, { type Redis } from 'ioredis';
import { clickJob, startStack, type Stack } from '../e2e/stack';
import { apiFor, waitVideo, type Api } from '../rounds/support';
import { testClip } from '../worker/support';
import { jobStorageReport } from '@masklet/lifecycle';
import { finishedJob, redisMentions } from './support';

let stack: Stack;
let redis: Redis;
let a: Api;
let b: Api;
let operatorKey = '';

async function del(path: string, key?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(path, stack.baseUrl), {
    method: 'DELETE',
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

before(async () => {
  stack = await startStack();
  redis = new IORedis(stack.config.REDIS_URL);
  a = await apiFor(stack, 'del-a');
  b = await apiFor(stack, 'del-b');
  const ops = await stack.admin.createTenant(`ops-${Date.now()}`);
  operatorKey = (await stack.admin.createKey(ops.id, ['admin'], 'operator', { operator: true })).key;
});
after(async () => {
  redis?.disconnect();
  await stack?.close();
});

test('DELETE of a job, then its video, then a tenant removes every object, key and row of each, and only those', async (ctx) => {
  const [jobA, jobB] = await Promise.all([finishedJob(a, 'del-a'), finishedJob(b, 'del-b')]);
  const report = await jobStorageReport(stack.env.prisma, stack.env.store, jobA.jobId);
  ctx.diagnostic(
    `storage of a ${report.frames}-frame ${report.objects}-object job: ${JSON.stringify(report.bytes)}, checkpoint bytes per frame per object ${report.checkpointBytesPerFrameObject}`,
  );
  assert.ok(report.bytes.checkpoints > 0 && report.bytes.masks > 0 && report.bytes.exports > 0);
  const objectsBefore = await stack.env.store.list('');
  const underA = (p: string): string[] => objectsBefore.filter((k) => k.startsWith(`tenants/${a.tenantId}/${p}`));
  assert.ok(
    underA(`jobs/${jobA.jobId}/`).some((k) => k.includes('/masklets/')),
    'masks were written',
  );
  assert.ok(
    underA(`jobs/${jobA.jobId}/`).some((k) => k.includes('/exports/')),
    'an export was written',
  );
  assert.ok(underA(`checkpoints/${jobA.jobId}/`).length > 0, 'checkpoints were written');
  assert.ok(underA(`videos/${jobA.videoId}/`).length > 0, 'the source was written');
  const bObjects = objectsBefore.filter((k) => k.includes(b.tenantId));
  assert.ok(bObjects.length > 3);
  assert.ok((await redisMentions(redis, jobA.jobId)).length > 0, 'the job has BullMQ entries before');

  const inUse = await a.call('DELETE', `/v1/videos/${jobA.videoId}`);
  assert.equal(inUse.status, 409, JSON.stringify(inUse.body));
  assert.equal((inUse.body['error'] as { code: string }).code, 'VIDEO_IN_USE');
  assert.match((inUse.body['error'] as { message: string }).message, new RegExp(jobA.jobId));
  assert.equal((await b.call('DELETE', `/v1/jobs/${jobA.jobId}`)).status, 404, 'another tenant cannot delete it');

  const gone = await a.call('DELETE', `/v1/jobs/${jobA.jobId}`);
  assert.equal(gone.status, 204, JSON.stringify(gone.body));
  const afterJob = await stack.env.store.list('');
  assert.deepEqual(
    afterJob.filter((k) => k.includes(jobA.jobId)),
    [],
    'no object of the job remains',
  );
  assert.deepEqual(await redisMentions(redis, jobA.jobId), [], 'no Redis key or queue entry of the job remains');
  assert.equal(await stack.env.prisma.job.count({ where: { id: jobA.jobId } }), 0);
  assert.equal(await stack.env.prisma.export.count({ where: { jobId: jobA.jobId } }), 0);
  assert.equal((await a.call('DELETE', `/v1/jobs/${jobA.jobId}`)).status, 404, 'a repeated DELETE is 404');
  assert.equal((await a.call('GET', `/v1/jobs/${jobA.jobId}`)).status, 404);

  assert.equal((await a.call('DELETE', `/v1/videos/${jobA.videoId}`)).status, 204);
  assert.deepEqual(
    (await stack.env.store.list('')).filter((k) => k.includes(jobA.videoId)),
    [],
    'no object of the video remains',
  );
  assert.deepEqual(await redisMentions(redis, jobA.videoId), [], 'no ingest entry of the video remains');
  assert.equal((await a.call('DELETE', `/v1/videos/${jobA.videoId}`)).status, 404);

  const stillB = await stack.env.store.list('');
  assert.deepEqual(
    bObjects.filter((k) => !stillB.includes(k)),
    [],
    "the other tenant's objects stay",
  );
  assert.equal((await b.call('GET', `/v1/jobs/${jobB.jobId}/masklets?format=rle`)).status, 200);

  // A tenant's own key cannot delete a tenant; an operator can, with everything in it.
  const tenantKey = await stack.admin.createKey(b.tenantId, ['admin'], 'b-admin');
  assert.equal((await del(`/v1/admin/tenants/${b.tenantId}`, tenantKey.key)).status, 403);
  const t = await del(`/v1/admin/tenants/${b.tenantId}`, operatorKey);
  assert.equal(t.status, 204, JSON.stringify(t.body));
  assert.deepEqual(
    (await stack.env.store.list('')).filter((k) => k.includes(b.tenantId)),
    [],
  );
  assert.deepEqual(await redisMentions(redis, jobB.jobId), []);
  assert.equal(await stack.env.prisma.tenant.count({ where: { id: b.tenantId } }), 0);
  assert.equal(await stack.env.prisma.video.count({ where: { tenantId: b.tenantId } }), 0);
  assert.equal((await b.call('GET', `/v1/jobs/${jobB.jobId}`)).status, 401, "the tenant's keys are gone");
  assert.equal((await del(`/v1/admin/tenants/${b.tenantId}`, operatorKey)).status, 404);
});

test('DELETE of a cascading video with a running job cancels the job first; nothing is written after', async () => {
  const clip = await testClip(120, 2, 'del-running');
  const video = await a.client.uploadVideo(clip.mp4Path!);
  await waitVideo(a, video.id);
  const created = await a.call('POST', '/v1/jobs', clickJob(video.id, clip));
  const jobId = created.body['id'] as string;
  let status = '';
  for (let i = 0; i < 600 && status !== 'RUNNING'; i++) {
    status = (await a.call('GET', `/v1/jobs/${jobId}`)).body['status'] as string;
    if (status !== 'RUNNING') await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(status, 'RUNNING', 'deleted while running');
  const r = await a.call('DELETE', `/v1/videos/${video.id}?cascade=true`);
  assert.equal(r.status, 204, JSON.stringify(r.body));
  await new Promise((res) => setTimeout(res, 2000));
  assert.deepEqual(
    (await stack.env.store.list('')).filter((k) => k.includes(jobId) || k.includes(video.id)),
    [],
    'nothing written after the delete',
  );
  assert.deepEqual(await redisMentions(redis, jobId), []);
  assert.equal(await stack.env.prisma.job.count({ where: { id: jobId } }), 0);
});
