import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from './helpers';

let api: TestApi;
before(async () => {
  api = await startApi('tenant-a');
});
after(async () => api?.close());

test("tenant B gets 404 for tenant A's video, job, masklets, events, cancel and batch, and cannot use A's video", async () => {
  const video = await uploadClip(api);
  const job = await call(api, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const batch = await call(api, 'POST', '/v1/batches', { json: { jobs: [jobBody(video.id)] } });
  assert.equal(job.status, 201);
  assert.equal(batch.status, 201);
  const b = await api.newTenant('tenant-b');
  const key = b.key.key;
  const probes: Array<[string, string, string]> = [
    ['GET', `/v1/videos/${video.id}`, 'VIDEO_NOT_FOUND'],
    ['GET', `/v1/jobs/${job.body.id}`, 'JOB_NOT_FOUND'],
    ['GET', `/v1/jobs/${job.body.id}/masklets?from=0&to=5`, 'JOB_NOT_FOUND'],
    ['GET', `/v1/jobs/${job.body.id}/events`, 'JOB_NOT_FOUND'],
    ['POST', `/v1/jobs/${job.body.id}/cancel`, 'JOB_NOT_FOUND'],
    ['GET', `/v1/batches/${batch.body.id}`, 'BATCH_NOT_FOUND'],
  ];
  for (const [method, path, code] of probes) {
    const r = await call(api, method, path, { key });
    assert.equal(r.status, 404, `${method} ${path}`);
    assert.equal(r.body.error.code, code);
  }
  const steal = await call(api, 'POST', '/v1/jobs', { key, json: jobBody(video.id) });
  assert.equal(steal.status, 404);
  assert.equal(steal.body.error.code, 'VIDEO_NOT_FOUND');
  const list = await call(api, 'GET', `/v1/jobs?batchId=${batch.body.id}`, { key });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 0);
  // A's job is untouched by B's cancel attempt.
  const still = await call(api, 'GET', `/v1/jobs/${job.body.id}`);
  assert.equal(still.body.status, 'QUEUED');
});
