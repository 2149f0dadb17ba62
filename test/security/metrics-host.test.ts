// Issue 14, item 10: metrics are operator data. The worker's endpoint and the API's own metrics listener
// bind loopback unless METRICS_HOST says otherwise, and the API's public port serves no /metrics at all.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { MetricsListener } from '../../apps/api/src/metrics/metrics-listener';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { call, startApi, type TestApi } from '../api/helpers';
import { freePort } from '../e2e/free-port';
import { createTestEnv, type TestEnv } from '../worker/support';

const open: Array<{ worker: WorkerHandle; env: TestEnv }> = [];
const apis: TestApi[] = [];
after(async () => {
  for (const o of open) {
    await o.worker.close();
    await o.env.close();
  }
  for (const api of apis) await api.close();
});

async function metricsAddress(overrides: Record<string, string>): Promise<{ address: string; port: number }> {
  const env = await createTestEnv({ WORKER_METRICS_PORT: String(await freePort()), ...overrides });
  const worker = await startWorker(env.config, { prefix: env.prefix, queues: ['webhook'] });
  open.push({ worker, env });
  const a = worker.metricsServer!.address() as AddressInfo;
  return { address: a.address, port: a.port };
}

async function api(overrides: Record<string, string>): Promise<TestApi> {
  const a = await startApi('metrics-host', overrides);
  apis.push(a);
  return a;
}

test('by default the worker metrics endpoint is bound to 127.0.0.1 and serves /metrics there', async () => {
  const { address, port } = await metricsAddress({});
  assert.equal(address, '127.0.0.1');
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /# TYPE /);
});

test('METRICS_HOST=0.0.0.0 binds every interface (containers scraped from outside)', async () => {
  assert.equal((await metricsAddress({ METRICS_HOST: '0.0.0.0' })).address, '0.0.0.0');
});

test('the public API port answers GET /metrics with 404, keyed or not; API_METRICS_PORT serves them on loopback', async () => {
  const port = await freePort();
  const a = await api({ API_METRICS_PORT: String(port) });
  for (const key of [null, a.key.key, a.operator.key]) {
    const res = await call(a, 'GET', '/metrics', { key });
    assert.equal(res.status, 404, `key ${key ? 'given' : 'none'}: ${JSON.stringify(res.body)}`);
    assert.doesNotMatch(JSON.stringify(res.body), /masklet_|# TYPE/);
  }
  const at = a.app.get(MetricsListener).address()!;
  assert.deepEqual([at.address, at.port], ['127.0.0.1', port]);
  await call(a, 'GET', '/healthz', { key: null });
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(body, /masklet_http_request_duration_seconds_bucket\{.*route="\/healthz"/);
  assert.match(body, /masklet_queue_jobs\{queue="segment\.masklet-reference",state="waiting"\}/);
  assert.equal(
    (await fetch(`http://127.0.0.1:${port}/v1/jobs`)).status,
    404,
    'the metrics listener serves nothing else',
  );
});

test('API metrics: METRICS_HOST=0.0.0.0 binds every interface; API_METRICS_PORT=0 serves none', async () => {
  const open0 = await api({ API_METRICS_PORT: String(await freePort()), METRICS_HOST: '0.0.0.0' });
  assert.equal(open0.app.get(MetricsListener).address()!.address, '0.0.0.0');
  const off = await api({ API_METRICS_PORT: '0' });
  assert.equal(off.app.get(MetricsListener).address(), null);
  assert.equal((await call(off, 'GET', '/metrics', { key: null })).status, 404);
});
