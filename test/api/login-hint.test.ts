// The dashboard's login page tells a newcomer which command makes an API key: that command must exist and work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function cli(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/api/src/cli.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: process.env,
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test("the login page's key command, run as printed (with a tenant filled in), creates a key", () => {
  const page = readFileSync(resolve(ROOT, 'apps/dashboard/src/pages/login.tsx'), 'utf8');
  const hint = /<code>npm run cli -- ([^<]+)<\/code>/.exec(page)?.[1];
  assert.ok(hint, 'the login page names an `npm run cli --` command');
  const name = `hint-${process.pid}-${Date.now()}`;
  const tenant = cli(['tenant:create', name]);
  assert.equal(tenant.status, 0, tenant.out);
  const args = hint.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace('<id|name>', name).split(/\s+/);
  const key = cli(args);
  assert.equal(key.status, 0, `${hint}: ${key.out}`);
  assert.match(key.out, /^api key: mk_\S+/m);
  assert.match(key.out, /^scopes: {2}read,submit,correct,admin$/m);
});
