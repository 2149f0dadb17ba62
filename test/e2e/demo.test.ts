// The README's `npm run demo` path, run to completion (DEMO_EXIT=1) on a short clip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
    s.on('error', fail);
  });
}

// The reference model tracks the demo's 854x480 synthetic objects at IoU ~0.8-0.93 from one click (its
// colour-histogram prior lets a look-alike background patch stay attached to a moving object for a
// while); the bar is set below that, and what the demo prints must be a real measurement.
test('the demo uploads, segments and reports IoU >= 0.75 per object, prints the dashboard, then stops its processes', async () => {
  const port = await freePort();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env: { ...process.env, DEMO_EXIT: '1', DEMO_API_PORT: String(port), DEMO_FRAMES: '30', DEMO_REAL_FRAMES: '8', WORKER_METRICS_PORT: '0' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const ious = [...r.stdout.matchAll(/object (\d+): mean IoU ([0-9.]+)/g)].map((m) => Number(m[2]));
  assert.equal(ious.length, 2, r.stdout);
  for (const iou of ious) assert.ok(iou >= 0.75, r.stdout);
  assert.match(r.stdout, /dashboard {2}http:\/\/127\.0\.0\.1:\d+\/ui\//);
  assert.match(r.stdout, /OpenAPI {4}http:\/\/127\.0\.0\.1:\d+\/docs/);
  assert.match(r.stdout, /stopping the API and the worker/);
  const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
  assert.equal(ready, false, 'the API process is gone after the demo stops');
});
