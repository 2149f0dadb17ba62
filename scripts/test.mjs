#!/usr/bin/env node
// Runs every *.test.ts under libs/, apps/, models/ and test/ with node's built-in runner (through tsx).
// Node 20's --test does not expand globs, so the file list is built here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bootstrap } from './bootstrap.mjs';
import { runGroup } from './run-group.mjs';

const roots = ['libs', 'apps', 'models', 'test', 'infra'];
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const filters = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--only');

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), full));
  }
  return out;
}

let files = roots.flatMap((r) => walk(r, []));
if (only === 'unit') files = files.filter((f) => !f.startsWith('test/'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// chromium only when a browser test is going to run.
if (!args.includes('--no-bootstrap')) bootstrap({ browser: files.some((f) => f.startsWith(join('test', 'browser'))) });
// In its own process group: SIGINT / SIGTERM to this process stop the runner, the test files and their stacks.
const status = await runGroup(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(status);
