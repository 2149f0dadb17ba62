import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WorkerMetrics } from './metrics';

test('the metrics port answers the kubelet probes from the worker health it is given', async () => {
  const metrics = new WorkerMetrics();
  const server = await metrics.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const status = async (path: string) => (await fetch(base + path)).status;
  try {
    assert.deepEqual(
      [await status('/healthz'), await status('/readyz')],
      [200, 503],
      'not ready before the worker says so',
    );
    let live = true;
    let ready = true;
    metrics.setHealth({ live: () => live, ready: () => ready });
    assert.deepEqual([await status('/healthz'), await status('/readyz')], [200, 200]);
    ready = false;
    assert.deepEqual([await status('/healthz'), await status('/readyz')], [200, 503], 'draining: alive, not ready');
    live = false;
    assert.equal(await status('/healthz'), 503);
    const body = await (await fetch(`${base}/metrics`)).text();
    assert.match(body, /masklet_worker_heartbeats_total 0/);
    assert.equal(await status('/other'), 404);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
