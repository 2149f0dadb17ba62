// Jobs name an installed model: the default when they name none, 422 naming the installed ones for an
// unknown one, and each job lands on its own model's segment queue with a fair rank on that queue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { fairPriority, segmentJobId, segmentQueueName } from '@masklet/queue';
import { ensureModel } from '../../models/generator/ensure-model';
import { referenceVariant } from '../worker/support';
import { call, jobBody, startApi, uploadClip, type TestApi } from './helpers';

const A = 'masklet-reference';
const B = 'masklet-reference-api';
let api: TestApi;
let videoId: string;
let queues: Record<string, Queue>;
before(async () => {
  const models = [await ensureModel('reference'), await referenceVariant(B)];
  api = await startApi('models', { MASKLET_MODELS: models.join(','), MASKLET_DEFAULT_MODEL: A });
  videoId = (await uploadClip(api)).id;
  queues = Object.fromEntries([A, B].map((m) => [m, new Queue(segmentQueueName(m), { connection: api.redis })]));
});
after(async () => {
  for (const q of Object.values(queues ?? {})) await q.close();
  await api?.close();
});

test('an unknown model is 422 UNKNOWN_MODEL naming the installed models; nothing is stored', async () => {
  const before = await api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(videoId, { model: 'sam2.1-hiera-huge' }) });
  assert.equal(r.status, 422, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'UNKNOWN_MODEL');
  assert.match(
    r.body.error.message,
    /model: model sam2\.1-hiera-huge is not installed; installed: masklet-reference, masklet-reference-api/,
  );
  const batch = await call(api, 'POST', '/v1/batches', {
    json: { jobs: [jobBody(videoId), jobBody(videoId, { model: 'nope' })] },
  });
  assert.equal(batch.status, 422);
  assert.equal(batch.body.error.code, 'UNKNOWN_MODEL');
  assert.match(batch.body.error.message, /^jobs\[1\]\.model: model nope is not installed/);
  assert.equal(await api.prisma.job.count({ where: { tenantId: api.tenant.id } }), before);
});

test("jobs go to their model's queue (default: MASKLET_DEFAULT_MODEL), ranked in the tenant's backlog of that model", async () => {
  const plain = await call(api, 'POST', '/v1/jobs', { json: jobBody(videoId) });
  const second = await call(api, 'POST', '/v1/jobs', { json: jobBody(videoId, { model: A }) });
  const onB = await call(api, 'POST', '/v1/jobs', { json: jobBody(videoId, { model: B, priority: 7 }) });
  for (const r of [plain, second, onB]) assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual([plain.body.model, second.body.model, onB.body.model], [A, A, B]);
  assert.ok(await queues[A]!.getJob(segmentJobId(plain.body.id, 1)));
  assert.equal(await queues[B]!.getJob(segmentJobId(plain.body.id, 1)), undefined, 'an A job is not on B');
  assert.equal(await queues[A]!.getJob(segmentJobId(onB.body.id, 1)), undefined, 'a B job is not on A');
  const entry = await queues[B]!.getJob(segmentJobId(onB.body.id, 1));
  assert.ok(entry);
  // The tenant's queued A jobs are ahead of nothing on B's queue: rank 0 there.
  assert.ok((await api.prisma.job.count({ where: { tenantId: api.tenant.id, status: 'QUEUED', model: A } })) >= 2);
  assert.equal(entry.opts.priority, fairPriority(0, 7));
  const secondEntry = await queues[A]!.getJob(segmentJobId(second.body.id, 1));
  assert.equal(secondEntry!.opts.priority, fairPriority(1, 5), 'the second A job ranks behind the first');
});
