import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { fairPriority, segmentQueueName } from '@masklet/queue';
import { call, jobBody, startApi, uploadClip, type TestApi } from './helpers';

let api: TestApi;
let videoId: string;
let segment: Queue;
before(async () => {
  api = await startApi('batches');
  videoId = (await uploadClip(api)).id;
  segment = new Queue(segmentQueueName('masklet-reference'), { connection: api.redis });
});
after(async () => {
  await segment?.close();
  await api?.close();
});

test('a batch of 50 jobs creates 50 rows and 50 BullMQ jobs ranked in the tenant backlog', async () => {
  const queuedBefore = await api.prisma.job.count({ where: { tenantId: api.tenant.id, status: 'QUEUED' } });
  const jobs = Array.from({ length: 50 }, (_, i) => jobBody(videoId, { priority: (i % 10) + 1 }));
  const r = await call(api, 'POST', '/v1/batches', { json: { name: 'fifty', jobs } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.jobCount, 50);
  assert.equal(r.body.jobIds.length, 50);
  const rows = await api.prisma.job.findMany({ where: { batchId: r.body.id } });
  assert.equal(rows.length, 50);
  assert.equal(await api.prisma.round.count({ where: { job: { batchId: r.body.id } } }), 50);
  assert.equal(await api.prisma.prompt.count({ where: { job: { batchId: r.body.id } } }), 50);
  const entries = await Promise.all(r.body.jobIds.map((id: string) => segment.getJob(id)));
  assert.equal(entries.filter(Boolean).length, 50);
  entries.forEach((e, i) => assert.equal(e!.opts.priority, fairPriority(queuedBefore + i, (i % 10) + 1)));

  const g = await call(api, 'GET', `/v1/batches/${r.body.id}`);
  assert.equal(g.status, 200);
  assert.equal(g.body.jobCount, 50);
  assert.equal(g.body.counts.QUEUED, 50);
  assert.equal(g.body.meanProgress, 0);
  await api.prisma.job.updateMany({
    where: { id: { in: r.body.jobIds.slice(0, 10) } },
    data: { status: 'SUCCEEDED', progress: 1 },
  });
  const g2 = await call(api, 'GET', `/v1/batches/${r.body.id}`);
  assert.deepEqual([g2.body.counts.QUEUED, g2.body.counts.SUCCEEDED], [40, 10]);
  assert.ok(Math.abs(g2.body.meanProgress - 0.2) < 1e-9);
  const listed = await call(api, 'GET', `/v1/jobs?batchId=${r.body.id}&limit=500`);
  assert.equal(listed.body.items.length, 50);
});

test('a batch is all-or-nothing and its errors name the index', async () => {
  const before = await api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  const jobs = Array.from({ length: 20 }, () => jobBody(videoId));
  jobs[12] = { videoId, objects: [{ id: 1, prompts: [{ frame: 500, points: [{ x: 1, y: 1, label: 1 }] }] }] };
  const r = await call(api, 'POST', '/v1/batches', { json: { jobs } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'FRAME_OUT_OF_RANGE');
  assert.match(r.body.error.message, /jobs\[12\]\.objects\[0\]\.prompts\[0\]\.frame/);
  const s = await call(api, 'POST', '/v1/batches', {
    json: { jobs: [jobBody(videoId), jobBody(videoId, { priority: 0 })] },
  });
  assert.equal(s.status, 400);
  assert.match(s.body.error.message, /jobs\[1\]\.priority/);
  assert.equal(await api.prisma.job.count({ where: { tenantId: api.tenant.id } }), before);
});

test('a batch over 10,000 jobs is 413 BATCH_TOO_LARGE; an empty one is 400', async () => {
  const jobs = Array.from({ length: 10_001 }, () => jobBody(videoId));
  const r = await call(api, 'POST', '/v1/batches', { json: { jobs } });
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'BATCH_TOO_LARGE');
  assert.match(r.body.error.message, /10001/);
  const empty = await call(api, 'POST', '/v1/batches', { json: { jobs: [] } });
  assert.equal(empty.status, 400);
});

// The rate is the platform bench's to print (`npm run bench -- platform`: submit_per_s); here, that every one
// of 10,000 jobs is stored and queued, in the order given, each under its own id.
test('a batch of 10,000 jobs stores and queues every job, in order, once', async () => {
  const jobs = Array.from({ length: 10_000 }, (_, i) => jobBody(videoId, { priority: (i % 10) + 1 }));
  const r = await call(api, 'POST', '/v1/batches', { json: { jobs } });
  assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 500));
  const ids: string[] = r.body.jobIds;
  assert.equal(ids.length, 10_000);
  assert.equal(new Set(ids).size, 10_000, 'every job has its own id');
  const rows = await api.prisma.job.findMany({ where: { batchId: r.body.id }, select: { id: true, priority: true } });
  assert.equal(rows.length, 10_000);
  const priorityOf = new Map(rows.map((row) => [row.id, row.priority]));
  assert.deepEqual(
    ids.map((id) => priorityOf.get(id)),
    jobs.map((j) => j.priority),
    'jobIds answer in the order the jobs were given',
  );
  const held = await Promise.all(ids.filter((_, i) => i % 500 === 499).map((id) => segment.getJob(id)));
  assert.ok(held.every(Boolean), 'every 500th job, the last included, is in the queue');
  // Clean the queue of this test's bulk so later runs start from a small backlog.
  await api.prisma.job.updateMany({ where: { batchId: r.body.id }, data: { status: 'CANCELLED' } });
  for (let i = 0; i < r.body.jobIds.length; i += 1000)
    await Promise.all(r.body.jobIds.slice(i, i + 1000).map((id: string) => segment.remove(id)));
});
