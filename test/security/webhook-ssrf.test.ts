// Item 3 of issue 14: a webhook never reaches a private or loopback address, whatever the spelling of
// the address, and the address checked is the one the socket connects to (no DNS-rebinding window).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookJobId, webhookJobOptions } from '@masklet/queue';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { guardedPost, TargetRefusedError, type ResolvedAddress } from '../../apps/worker/src/webhook/guarded-http';
import { createTestEnv, seedJob, testClip, waitFor, type TestEnv } from '../worker/support';

let env: TestEnv;
let worker: WorkerHandle;
const servers: Server[] = [];
const hits: string[] = [];
let port4 = 0;
let port6 = 0;

async function listen(host: string): Promise<number> {
  const server = createServer((req, res) => {
    hits.push(`${host} ${req.url}`);
    req.resume();
    res.writeHead(200).end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

before(async () => {
  env = await createTestEnv({ WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_ATTEMPTS: '3' });
  worker = await startWorker(env.config, { prefix: env.prefix, queues: ['webhook'] });
  port4 = await listen('127.0.0.1');
  port6 = await listen('::1').catch(() => 0);
});
after(async () => {
  await worker?.close();
  for (const s of servers) s.close();
  await env?.close();
});

test('every spelling of a loopback, private or link-local address is refused without a connection', async () => {
  const clip = await testClip(8, 1, 'ssrf');
  const urls = [
    `http://[::ffff:127.0.0.1]:${port4}/mapped-dotted`,
    `http://[::ffff:7f00:1]:${port4}/mapped-hex`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port4}/mapped-long`,
    `http://2130706433:${port4}/decimal`,
    `http://0x7f000001:${port4}/hex`,
    `http://0177.0.0.1:${port4}/octal`,
    `http://127.1:${port4}/short`,
    `http://0.0.0.0:${port4}/unspecified`,
    `http://localhost:${port4}/name`,
    `http://169.254.169.254/latest/meta-data/`,
    `http://[fd00::1]:${port4}/ula`,
    `http://[fe80::1]:${port4}/link-local`,
    ...(port6 ? [`http://[::1]:${port6}/v6-loopback`, `http://[::]:${port6}/v6-unspecified`] : []),
  ];
  const rows = [];
  for (const url of urls) {
    const seeded = await seedJob(env, clip, { webhookUrl: url });
    const row = await env.prisma.webhookDelivery.create({ data: { jobId: seeded.jobId, event: 'job.succeeded', url } });
    await env
      .queue('webhook')
      .add('job.succeeded', { deliveryId: row.id }, webhookJobOptions(webhookJobId(row.id), 3, 100));
    rows.push(row);
  }
  for (const row of rows) {
    const d = await waitFor(
      `outcome of ${row.url}`,
      async () => {
        const r = await env.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
        return r.status !== 'PENDING' ? r : null;
      },
      20_000,
    );
    assert.equal(d.status, 'FAILED', row.url);
    assert.match(d.lastError ?? '', /^refused: .*private\/loopback/, `${row.url}: ${d.lastError}`);
    assert.equal(d.attempts, 1, `${row.url} is not retried`);
  }
  assert.deepEqual(hits, [], 'no listener received a request');
});

test('the address checked is the address connected to: a name rebinding to loopback after a public answer is refused', async () => {
  let calls = 0;
  // First answer public, then loopback: a check followed by a second resolution would connect to 127.0.0.1.
  const resolve = async (): Promise<ResolvedAddress[]> =>
    calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
  const opts = { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 3000 };
  // The first resolution is the one used to connect (to a public address that does not answer here: aborted).
  await assert.rejects(
    guardedPost(`http://rebind.test:${port4}/first`, { ...opts, timeoutMs: 300 }, { allowPrivate: false, resolve }),
  );
  assert.equal(calls, 1, 'one resolution per attempt, used both for the check and the connection');
  const err = await guardedPost(`http://rebind.test:${port4}/second`, opts, { allowPrivate: false, resolve }).catch(
    (e: unknown) => e,
  );
  assert.ok(err instanceof TargetRefusedError, String(err));
  assert.match(err.message, /rebind\.test resolves to private\/loopback address 127\.0\.0\.1/);
  assert.equal(calls, 2);
  assert.deepEqual(hits, []);
  // With private targets allowed (tests, local demo) the same path delivers.
  const status = await guardedPost(`http://rebind.test:${port4}/allowed`, opts, {
    allowPrivate: true,
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
  });
  assert.equal(status, 200);
  assert.deepEqual(hits, [`127.0.0.1 /allowed`]);
  hits.length = 0;
});
