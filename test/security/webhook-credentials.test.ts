// Issue 14, item 10: a webhook URL with credentials is refused at submission (422 naming the field), so
// a secret is never stored nor echoed back in the job view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from '../api/helpers';

let api: TestApi;
let videoId: string;
before(async () => {
  api = await startApi('webhook-credentials');
  videoId = (await uploadClip(api)).id;
});
after(async () => {
  await api?.close();
});

test('a webhook URL with user:pass@ or a user name is 422 WEBHOOK_URL_CREDENTIALS and no job is stored', async () => {
  const before = await api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  for (const url of [
    'https://user:s3cr3tpw@hooks.example.com/x',
    'https://t0ken99@hooks.example.com/x',
    'http://:pw77@hooks.example.com/',
  ]) {
    const r = await call(api, 'POST', '/v1/jobs', { json: jobBody(videoId, { webhookUrl: url }) });
    assert.equal(r.status, 422, `${url}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, 'WEBHOOK_URL_CREDENTIALS');
    assert.match(r.body.error.message, /webhookUrl/);
    assert.doesNotMatch(JSON.stringify(r.body), /s3cr3tpw|t0ken99|pw77/, 'the answer does not echo the secret');
    const batch = await call(api, 'POST', '/v1/batches', { json: { jobs: [jobBody(videoId, { webhookUrl: url })] } });
    assert.equal(batch.status, 422, `batch ${url}: ${JSON.stringify(batch.body)}`);
    assert.match(batch.body.error.message, /jobs\[0\]\.webhookUrl/);
  }
  assert.equal(await api.prisma.job.count({ where: { tenantId: api.tenant.id } }), before);
  const ok = await call(api, 'POST', '/v1/jobs', {
    json: jobBody(videoId, { webhookUrl: 'https://hooks.example.com/x?sig=1' }),
  });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
});
