// Issue 14, item 10: /ui/ is served with a Content-Security-Policy that allows no inline script and no
// framing; the built index.html loads its scripts from files only. The browser suites (test/browser)
// fail on any CSP violation the dashboard reports while they use it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_DIST } from '../../apps/api/src/dashboard/serve-dashboard';
import { startApi, type TestApi } from '../api/helpers';

let api: TestApi;
before(async () => {
  api = await startApi('csp');
});
after(async () => {
  await api?.close();
});

test(
  'the dashboard page and its assets carry a CSP without unsafe-inline scripts, and frame-ancestors none',
  { skip: !process.env.CI && !existsSync(join(DASHBOARD_DIST, 'index.html')) && 'dashboard not built' },
  async () => {
    const res = await fetch(`${api.base}/ui/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const directive = (name: string): string =>
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith(`${name} `)) ?? '';
    assert.equal(directive('script-src'), "script-src 'self'");
    assert.equal(directive('frame-ancestors'), "frame-ancestors 'none'");
    assert.equal(directive('object-src'), "object-src 'none'");
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const s of scripts) assert.equal(s[1]!.trim(), '', `no inline script: ${s[0].slice(0, 80)}`);
    const asset = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(readFileSync(join(DASHBOARD_DIST, 'index.html'), 'utf8'))![1]!;
    const js = await fetch(`${api.base}${asset}`);
    assert.equal(js.status, 200);
    assert.ok(js.headers.get('content-security-policy'));
  },
);
