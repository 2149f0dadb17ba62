// The README's `npm run demo` path, run to completion (DEMO_EXIT=1): the generated clip over its full default
// length, the real clips and the DAVIS sequence (when ../shared/data is there) on a few frames each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from './free-port';

const ROOT = resolve(__dirname, '..', '..');
const SHARED = resolve(ROOT, '../shared/data');

test(
  'the demo segments the generated clip at IoU >= 0.9 per object over 120 frames, the real clips and DAVIS, prints the dashboard, then stops',
  { timeout: 600_000 },
  async () => {
    const port = await freePort();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DEMO_EXIT: '1',
        DEMO_API_PORT: String(port),
        DEMO_REAL_FRAMES: '8',
        DEMO_DAVIS_FRAMES: '20',
        WORKER_METRICS_PORT: '0',
        API_METRICS_PORT: '0',
      },
      encoding: 'utf8',
      timeout: 540_000,
    });
    assert.equal(r.status, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
    const out = r.stdout;

    const ious = [...out.matchAll(/object (\d+) \(\w+\): mean IoU ([0-9.]+) over (\d+) frames/g)];
    assert.equal(ious.length, 2, out);
    for (const m of ious) {
      assert.equal(m[3], '120', `object ${m[1]} scored over the clip's full default length`);
      assert.ok(Number(m[2]) >= 0.9, `object ${m[1]}: mean IoU ${m[2]} < 0.9\n${out}`);
    }

    if (existsSync(resolve(SHARED, 'videos', '01_dog.mp4'))) {
      for (const label of ['dog', 'person'])
        assert.match(
          out,
          new RegExp(`object \\d ${label}: present on 8/8 frames, [1-9]`),
          `the ${label} in 01_dog.mp4 is segmented on every frame`,
        );
      assert.match(out, /\(01_dog\.mp4: dog, person\)/);
    } else {
      assert.match(out, /no real clips at .*; skipped/);
    }
    if (existsSync(resolve(SHARED, 'davis2016', 'blackswan'))) {
      const jf = /blackswan: J&F ([0-9.]+) \(J ([0-9.]+), F ([0-9.]+)\) over 20 frames/.exec(out);
      assert.ok(jf, out);
      // The reference model follows blackswan closely from its frame-0 mask (npm run eval: J&F ~0.9 over 50 frames).
      assert.ok(Number(jf[1]) >= 0.8, `blackswan J&F ${jf[1]}`);
    }

    assert.match(out, /dashboard {2}http:\/\/127\.0\.0\.1:\d+\/ui\//);
    assert.match(out, /OpenAPI {4}http:\/\/127\.0\.0\.1:\d+\/docs/);
    assert.match(out, /stopping the API and the worker/);
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    assert.equal(ready, false, 'the API process is gone after the demo stops');
  },
);
