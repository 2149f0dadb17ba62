// Issue 14, item 10: the worker's metrics endpoint listens on loopback unless METRICS_HOST says otherwise.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { freePort } from '../e2e/free-port';
import { createTestEnv, type TestEnv } from '../worker/support';

const open: Array<{ worker: WorkerHandle; env: TestEnv }> = [];
after(async () => {
  for (const o of open) {
    await o.worker.close();
    await o.env.close();
  }
});

async function metricsAddress(overrides: Record<string, string>): Promise<{ address: string; port: number }> {
  const env = await createTestEnv({ WORKER_METRICS_PORT: String(await freePort()), ...overrides });
  const worker = await startWorker(env.config, { prefix: env.prefix, queues: ['webhook'] });
  open.push({ worker, env });
  const a = worker.metricsServer!.address() as AddressInfo;
  return { address: a.address, port: a.port };
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
