// Issue 16, item 3: the API process loads no model. It runs as a process of its own whose MASKLET_MODEL
// manifest names the model but sits beside no graph file, with onnxruntime refused at require time;
// its previews are answered by a worker (this process) holding the model, the same as with the model.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureModel } from '../../models/generator/ensure-model';
import { freePort } from '../e2e/free-port';
import { startStack, type Stack } from '../e2e/stack';
import { apiFor, waitVideo } from '../rounds/support';
import { apiReady, testClip } from '../worker/support';

const ROOT = resolve(__dirname, '..', '..');
const REFUSE = join(__dirname, 'fixtures', 'refuse-onnxruntime.cjs');
const FRAME = 3;
let stack: Stack;
let api: ChildProcess | null = null;
let base = '';

/** The reference manifest (same name) alone in a directory: no .onnx file for anything to load. */
async function manifestWithoutGraphs(): Promise<string> {
  const source = await ensureModel('reference');
  const dir = join(ROOT, '.tmp', 'test-models', 'manifest-only');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'manifest.json');
  writeFileSync(path, readFileSync(source));
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.onnx')),
    [],
  );
  return path;
}

before(async () => {
  stack = await startStack({ CHUNK_FRAMES: '8' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = spawn(process.execPath, ['--require', REFUSE, '--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: stack.config.DATABASE_URL,
      REDIS_URL: stack.config.REDIS_URL,
      MASKLET_MODEL: await manifestWithoutGraphs(),
      API_PORT: String(port),
      API_METRICS_PORT: '0',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await apiReady(port);
});
after(async () => {
  api?.kill('SIGKILL');
  await stack?.close();
});

test('the guard works: a process preloaded with it cannot load onnxruntime', () => {
  const r = spawnSync(process.execPath, ['--require', REFUSE, '-e', "require('onnxruntime-node')"], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /this process must not load onnxruntime-node/);
});

test('an API process without the model answers previews through a worker, as the in-process API does', async () => {
  const clip = await testClip(12, 2, 'api-no-model');
  const local = await apiFor(stack, 'api-no-model');
  const video = await local.client.uploadVideo(clip.mp4Path!);
  await waitVideo(local, video.id);
  const [x, y] = clip.meta.objects[0]!.clicks[FRAME]!;
  const body = { frame: FRAME, objectId: 1, points: [{ x, y, label: 1 }] };
  const key = await stack.admin.createKey(local.tenantId, ['correct'], 'remote');
  const res = await fetch(`${base}/v1/videos/${video.id}/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const remote = (await res.json()) as { rle: { counts: string }; area: number };
  assert.equal(res.status, 200, JSON.stringify(remote));
  assert.ok(remote.area > 0);
  const inProcess = await local.call<{ rle: { counts: string } }>('POST', `/v1/videos/${video.id}/preview`, body);
  assert.equal(inProcess.status, 200);
  assert.equal(remote.rle.counts, inProcess.body.rle.counts);
  assert.equal(api!.exitCode, null, 'the API process is still up');
});
