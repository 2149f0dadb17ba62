#!/usr/bin/env node
// Makes a fresh machine ready: npm dependencies (when package-lock.json is newer than the install), the
// system tools the tests and the demo use, the backing services (PostgreSQL, Redis, S3: scripts/services.mjs,
// or the ones DATABASE_URL / REDIS_URL / S3_ENDPOINT name), the generated Prisma client (when the schema
// changed) and the database migrations. Their settings are exported into this process's environment, so
// callers that import bootstrap() (scripts/test.mjs) pass them on to their children.
// Runs with plain node: nothing is installed yet.
//
//   node scripts/bootstrap.mjs                    prepare everything
//   node scripts/bootstrap.mjs -- <cmd> [args]    prepare, then run <cmd> with the services' environment
//   node scripts/bootstrap.mjs --no-browser ...   without chromium (only the browser tests use it)
// MASKLET_SERVICES=off skips services, client generation and migrations (engine-only work).
// <cmd> runs in its own process group; SIGINT / SIGTERM / SIGHUP to this process stop that whole group
// (scripts/run-group.mjs).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGroup } from './run-group.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    console.error(`bootstrap: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  return r;
}

/** Starts (or finds) the services and exports their settings into process.env. */
function ensureServices() {
  const r = run(process.execPath, [join(ROOT, 'scripts', 'services.mjs'), 'up'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  for (const line of r.stdout.split('\n')) {
    const m = /^export ([A-Z0-9_]+)='((?:[^']|'\\'')*)'$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  if (!process.env.DATABASE_URL) {
    console.error('bootstrap: services did not report DATABASE_URL');
    process.exit(1);
  }
}

/** `prisma generate` when schema.prisma, prisma.config.ts or the Prisma version changed (or nothing is generated). */
function generateClient() {
  const inputs = ['prisma/schema.prisma', 'prisma.config.ts', 'node_modules/prisma/package.json'].map((f) =>
    existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f)) : Buffer.alloc(0),
  );
  const hash = createHash('sha256');
  for (const b of inputs) hash.update(b).update('\0');
  const digest = hash.digest('hex');
  const marker = join(ROOT, '.tmp', 'prisma-generate.sha256');
  const generated = join(ROOT, 'libs', 'db', 'src', 'generated', 'client.ts');
  if (existsSync(generated) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === digest) return;
  console.log('bootstrap: generating the Prisma client');
  run('npm', ['run', '--silent', 'db:generate']);
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, digest + '\n');
}

/** `vite build` of the dashboard when its sources changed (the API serves apps/dashboard/dist at /ui/). */
function buildDashboard() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(join(ROOT, 'apps/dashboard/src'));
  for (const f of [
    'apps/dashboard/index.html',
    'apps/dashboard/vite.config.ts',
    'libs/masks/src/rle.ts',
    'libs/masks/src/rle-string.ts',
    'package-lock.json',
  ])
    hash.update(readFileSync(join(ROOT, f)));
  const digest = hash.digest('hex');
  const marker = join(ROOT, '.tmp', 'dashboard-build.sha256');
  if (
    existsSync(join(ROOT, 'apps/dashboard/dist/index.html')) &&
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === digest
  )
    return;
  console.log('bootstrap: building the dashboard');
  run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'apps/dashboard', '--logLevel', 'warn']);
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, digest + '\n');
}

/** browser: install chromium for the browser tests (MASKLET_BROWSER_TESTS=off also skips it). */
export function bootstrap({ browser = true } = {}) {
  const marker = join(ROOT, 'node_modules/.package-lock.json');
  const stale = !existsSync(marker) || statSync(join(ROOT, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
  if (stale) {
    console.log('bootstrap: installing npm dependencies');
    // npm ci rejects lockfiles made on this platform (optional darwin packages); install is the offline-safe path.
    // onnxruntime-node's install script fetches its CUDA provider from NuGet on linux/x64 unless told to skip.
    run('npm', ['install', '--no-audit', '--no-fund'], { env: { ONNXRUNTIME_NODE_INSTALL: 'skip', ...process.env } });
  }
  run('bash', [join(ROOT, 'infra/local/ensure-ffmpeg.sh')]);
  // Apps load models/reference/manifest.json (or MASKLET_MODEL) and never generate it themselves.
  run(process.execPath, ['--import', 'tsx', join(ROOT, 'models', 'generator', 'generate.ts'), '--if-stale'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (process.env.MASKLET_SERVICES === 'off') return;
  if (browser) run('bash', [join(ROOT, 'infra/local/ensure-chromium.sh')]);
  buildDashboard();
  ensureServices();
  generateClient();
  run('npm', ['run', '--silent', 'db:migrate']);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sep = process.argv.indexOf('--');
  const own = sep === -1 ? process.argv.slice(2) : process.argv.slice(2, sep);
  bootstrap({ browser: !own.includes('--no-browser') });
  if (sep !== -1 && process.argv[sep + 1]) {
    const [cmd, ...args] = process.argv.slice(sep + 1);
    const env = { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` };
    process.exit(await runGroup(cmd, args, { env }));
  }
}
