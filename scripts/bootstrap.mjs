#!/usr/bin/env node
// Makes a fresh machine ready: npm dependencies (when package-lock.json is newer than the install)
// and the system tools the tests and the demo use. Runs with plain node: nothing is installed yet.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`bootstrap: ${cmd} ${args.join(' ')} failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

export function bootstrap() {
  const marker = 'node_modules/.package-lock.json';
  const stale = !existsSync(marker) || statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
  if (stale) {
    console.log('bootstrap: installing npm dependencies');
    // npm ci rejects lockfiles made on this platform (optional darwin packages); install is the offline-safe path.
    run('npm', ['install', '--no-audit', '--no-fund']);
  }
  run('bash', ['infra/local/ensure-ffmpeg.sh']);
}

if (import.meta.url === `file://${process.argv[1]}`) bootstrap();
