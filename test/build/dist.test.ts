// The compiled build: `npm run build` emits dist/, whose imports need production dependencies only, and whose API
// and worker (plain node, no tsx) run a job end to end with the same masks as the TypeScript sources.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MaskletClient } from '@masklet/client';
import { testClip } from '../worker/support';
import { freePort } from '../e2e/free-port';
import { clickJob, startStack, type Stack } from '../e2e/stack';

const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

function jsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) jsFiles(full, out);
    else if (name.endsWith('.js')) out.push(full);
  }
  return out;
}

/** The package a bare specifier names ('@scope/pkg/sub' -> '@scope/pkg'). */
function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

before(() => {
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}\n${r.stderr}`);
});

test('every require in dist/ is a Node builtin, a file inside dist/, or a production dependency', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const prod = new Set(Object.keys(pkg.dependencies));
  const builtins = new Set(builtinModules);
  const files = jsFiles(DIST);
  assert.ok(files.length > 100, `dist holds ${files.length} .js files`);
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
      const spec = (m[1] ?? m[2])!;
      const where = file.slice(ROOT.length + 1);
      if (spec.startsWith('.')) {
        try {
          require.resolve(resolve(dirname(file), spec));
        } catch {
          problems.push(`${where}: ${spec} does not resolve`);
        }
        if (!resolve(dirname(file), spec).startsWith(DIST)) problems.push(`${where}: ${spec} leaves dist/`);
      } else if (spec.startsWith('node:') || builtins.has(spec)) {
        continue;
      } else if (!prod.has(packageOf(spec))) {
        problems.push(`${where}: ${spec} is not a production dependency`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

let stack: Stack;
const children: ChildProcess[] = [];
before(async () => {
  stack = await startStack({}, false);
});
after(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())),
  );
  await stack?.close();
});

/** Starts a compiled entry point with the stack's settings; resolves once it logs `ready`. */
async function startCompiled(entry: string, env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const settings = Object.fromEntries(
    Object.entries(stack.config)
      // Scalars only: parsed lists (REDIS_SENTINELS) come back from the environment the stack already set.
      .filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1]))
      .map(([k, v]) => [k, String(v)]),
  );
  const child = spawn(process.execPath, [join(DIST, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...settings, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let log = '';
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${entry} not ready after 60 s:\n${log}`)), 60_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${entry} exited ${code}:\n${log}`)));
  });
  return child;
}

test("compiled API and worker run a job whose masks equal the TypeScript worker's for the same job", async () => {
  const port = await freePort();
  await startCompiled(
    'apps/api/src/main.js',
    { API_PORT: String(port), API_METRICS_PORT: String(await freePort()) },
    /api listening/,
  );
  const worker = await startCompiled(
    'apps/worker/src/main.js',
    { WORKER_METRICS_PORT: String(await freePort()) },
    /worker started/,
  );
  const clip = await testClip(24, 2, 'dist-build');
  const { tenantId, client: viaSource } = await stack.client('dist');
  const key = await stack.admin.createKey(tenantId, ['submit', 'read'], 'dist-compiled');
  const compiled = new MaskletClient(`http://127.0.0.1:${port}`, key.key);
  const video = await compiled.uploadVideo(clip.mp4Path!);
  const job = await compiled.createJob(clickJob(video.id, clip));
  const done = await compiled.waitForJob(job.id);
  assert.equal(done.status, 'SUCCEEDED', JSON.stringify(done.error));
  const fromDist = await compiled.masklets(job.id);

  worker.kill('SIGTERM');
  await new Promise((r) => (worker.exitCode === null ? worker.once('exit', r) : r(null)));
  await stack.startWorker();
  const again = await viaSource.createJob(clickJob(video.id, clip));
  assert.equal((await viaSource.waitForJob(again.id)).status, 'SUCCEEDED');
  const fromSource = await viaSource.masklets(again.id);

  const rles = (d: typeof fromDist) =>
    d.frames.map((f) => ({ frame: f.frame, objects: f.objects.map((o) => ({ id: o.objectId, rle: o.rle })) }));
  assert.ok(fromDist.frames.length >= 20, `${fromDist.frames.length} frames of masks`);
  assert.deepEqual(rles(fromDist), rles(fromSource));
});
