#!/usr/bin/env node
// `npm run lint`: ESLint (type-aware, Nx module boundaries) and prettier --check over the workspace.
// Both are single-threaded, so they run side by side; each one's output is printed whole when it ends.
// The boundary rule reads Nx's cached project graph (and passes silently without one): compute it first.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => resolve(ROOT, 'node_modules', '.bin', name);

const graph = spawnSync(bin('nx'), ['show', 'projects'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (graph.status !== 0) {
  process.stderr.write(`lint: nx show projects failed (exit ${graph.status ?? graph.signal})\n`);
  process.exit(1);
}

/** Runs `cmd args`, buffering its output; resolves to its exit code once the output is printed. */
function run(name, cmd, args) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => chunks.push(Buffer.from(`${e.message}\n`)));
    child.on('close', (code, signal) => {
      const status = code ?? 1;
      process.stdout.write(`--- ${name}: ${status === 0 ? 'ok' : `failed (${signal ?? `exit ${code}`})`}\n`);
      process.stdout.write(Buffer.concat(chunks));
      done(status);
    });
  });
}

const codes = await Promise.all([
  run('eslint', bin('eslint'), ['--max-warnings', '0', '.']),
  // The cache keys each file by its content and prettier's version and options: a rerun checks only what changed.
  run('prettier --check', bin('prettier'), ['--check', '--cache', '--cache-location', '.tmp/prettier/cache', '.']),
]);
process.exit(codes.some((c) => c !== 0) ? 1 : 0);
