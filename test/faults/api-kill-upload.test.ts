// The API process SIGKILLed in the middle of an upload: nothing half-written becomes a video (no READY
// row, no stored object), and the same upload succeeds once an API is back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { syntheticMp4, videoForm } from '../api/helpers';
import { freePort } from '../e2e/free-port';
import { apiReady, createTestEnv, skip, waitFor, type TestEnv } from '../worker/support';

const ROOT = resolve(__dirname, '..', '..');

describe('faults: API SIGKILL mid-upload', { skip }, () => {
  let env: TestEnv;
  let api: ChildProcess | null = null;
  let port = 0;

  async function startApiProcess(): Promise<void> {
    api = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.config.DATABASE_URL,
        API_PORT: String(port),
        API_METRICS_PORT: '0',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await apiReady(port);
  }

  before(async () => {
    env = await createTestEnv();
    port = await freePort();
    await startApiProcess();
  });
  after(async () => {
    api?.kill('SIGKILL');
    await env?.close();
  });

  test('a cut upload leaves no READY video and no object; the retried upload is stored intact', async () => {
    const admin = new TenantAdminService(env.prisma);
    const tenant = await admin.createTenant(`faults-upload-${Date.now()}`);
    const key = await admin.createKey(tenant.id, ['submit', 'read'], 'test');

    // A multipart body that promises 8 MiB and sends 1 MiB, then the API dies.
    const boundary = `b${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="clip.mp4"\r\ncontent-type: video/mp4\r\n\r\n`,
    );
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/videos',
      headers: {
        authorization: `Bearer ${key.key}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 8 * 1024 * 1024 + boundary.length + 8),
      },
    });
    const answered = new Promise<string>((r) => {
      req.on('response', (res) => r(`status ${res.statusCode}`));
      req.on('error', (err) => r(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
    req.write(head);
    req.write(randomBytes(1024 * 1024));
    await waitFor(
      'the pending video row',
      () => env.prisma.video.findFirst({ where: { tenantId: tenant.id } }),
      20_000,
      50,
    );
    await new Promise((r) => setTimeout(r, 300));
    const dead = new Promise((r) => api!.once('exit', r));
    api!.kill('SIGKILL');
    await dead;
    assert.match(await answered, /^error/, 'the client sees the connection cut, not a success');

    const rows = await env.prisma.video.findMany({ where: { tenantId: tenant.id } });
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.status, 'READY', 'a cut upload never becomes a video');
    assert.equal(await env.store.head(rows[0]!.s3Key), null, 'no object under the cut upload’s key');

    await startApiProcess();
    const clip = await syntheticMp4();
    const res = await fetch(`http://127.0.0.1:${port}/v1/videos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}` },
      body: videoForm(clip.bytes),
    });
    const body = (await res.json()) as { id: string; status: string };
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(body.status, 'READY');
    const stored = await env.prisma.video.findUniqueOrThrow({ where: { id: body.id } });
    const bytes = await env.store.getBuffer(stored.s3Key);
    assert.equal(
      createHash('sha256').update(bytes).digest('hex'),
      createHash('sha256').update(clip.bytes).digest('hex'),
      'the retried upload is stored byte for byte',
    );
  });
});
