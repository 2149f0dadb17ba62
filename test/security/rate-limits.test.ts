// Item 5 of issue 14: per-key and per-address rate limits (429 + Retry-After), failed key checks that
// cost the same whether the prefix exists or not, per-tenant caps on event streams and previews, and
// event streams that end once their key is revoked.
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from '../api/helpers';

let limited: TestApi;
let ipLimited: TestApi;
let streams: TestApi;
before(async () => {
  limited = await startApi('rl-key', { RATE_LIMIT_PER_KEY: '5', AUTH_FAILURES_PER_IP: '4' });
  ipLimited = await startApi('rl-ip', { RATE_LIMIT_PER_IP: '3' });
  streams = await startApi('rl-streams', {
    MAX_SSE_STREAMS_PER_TENANT: '2',
    MAX_PREVIEWS_PER_TENANT: '1',
    KEY_RECHECK_MS: '200',
    AUTH_FAILURES_PER_IP: '1000',
  });
});
after(async () => {
  for (const s of opened) s.abort(); // a failed assertion must not leave the servers waiting on open streams
  await limited?.close();
  await ipLimited?.close();
  await streams?.close();
});

function retryAfter(r: { headers: Headers }): number {
  return Number(r.headers.get('retry-after'));
}

test('one key gets RATE_LIMIT_PER_KEY requests a minute, then 429 with Retry-After; another key is unaffected', async () => {
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await call(limited, 'GET', '/v1/videos')).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  const r = await call(limited, 'GET', '/v1/videos');
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'RATE_LIMITED');
  assert.match(r.body.error.message, new RegExp(`5 requests per minute with API key ${limited.key.prefix}`));
  assert.ok(retryAfter(r) >= 1 && retryAfter(r) <= 60, `Retry-After ${r.headers.get('retry-after')}`);
  const other = await limited.admin.createKey(limited.tenant.id, ['read'], 'second');
  assert.equal((await call(limited, 'GET', '/v1/videos', { key: other.key })).status, 200);
});

test('after AUTH_FAILURES_PER_IP failed key checks an address gets 429 without further key checks', async () => {
  const wrong = `${limited.key.key.slice(0, -6)}AAAAAA`;
  const statuses = [];
  for (let i = 0; i < 5; i++)
    statuses.push(
      (await call(limited, 'GET', '/v1/videos', { key: i % 2 ? wrong : 'mk_0123456789ab_abcdefghijklmnopqrstuvwxyz' }))
        .status,
    );
  assert.deepEqual(statuses, [401, 401, 401, 401, 429]);
  const blocked = await call(limited, 'GET', '/v1/videos', { key: wrong });
  assert.equal(blocked.status, 429);
  assert.match(blocked.body.error.message, /4 failed API key checks per minute/);
  assert.ok(retryAfter(blocked) >= 1);
});

test('one address gets RATE_LIMIT_PER_IP requests a minute, whatever keys it uses', async () => {
  const keys = await Promise.all(
    [1, 2, 3, 4].map((i) => ipLimited.admin.createKey(ipLimited.tenant.id, ['read'], `ip-${i}`)),
  );
  const statuses = [];
  for (const k of keys) statuses.push((await call(ipLimited, 'GET', '/v1/videos', { key: k.key })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  const r = await call(ipLimited, 'GET', '/v1/videos', { key: null });
  assert.equal(r.status, 429, 'even before any key check');
  assert.match(r.body.error.message, /3 requests per minute from/);
});

test('an unknown key prefix costs the same scrypt as a wrong secret (no prefix oracle)', async () => {
  const wrongSecret = `${streams.key.key.slice(0, -6)}BBBBBB`;
  const unknown = `mk_${'f'.repeat(12)}_${'x'.repeat(43)}`;
  const time = async (key: string): Promise<number> => {
    const t = performance.now();
    const r = await call(streams, 'GET', '/v1/videos', { key });
    assert.equal(r.status, 401);
    return performance.now() - t;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 7; i++) {
    a.push(await time(unknown));
    b.push(await time(wrongSecret));
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  assert.ok(
    median(a) >= 0.5 * median(b),
    `unknown prefix ${median(a).toFixed(1)} ms vs wrong secret ${median(b).toFixed(1)} ms`,
  );
});

interface Stream {
  status: number;
  headers: Headers;
  text: () => Promise<string>;
  abort: () => void;
}

const opened: Stream[] = [];

async function openStream(api: TestApi, path: string, key: string): Promise<Stream> {
  const ctl = new AbortController();
  const res = await fetch(api.base + path, { headers: { authorization: `Bearer ${key}` }, signal: ctl.signal });
  const stream: Stream = {
    status: res.status,
    headers: res.headers,
    text: async () => {
      let out = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) out += decoder.decode(chunk);
      } catch {
        /* aborted */
      }
      return out;
    },
    abort: () => ctl.abort(),
  };
  opened.push(stream);
  return stream;
}

test('event streams: MAX_SSE_STREAMS_PER_TENANT per tenant, a slot frees when a stream closes; other tenants unaffected', async () => {
  const video = await uploadClip(streams);
  const job = await call(streams, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  assert.equal(job.status, 201);
  const path = `/v1/jobs/${job.body.id}/events`;
  const s1 = await openStream(streams, path, streams.key.key);
  const s2 = await openStream(streams, path, streams.key.key);
  assert.deepEqual([s1.status, s2.status], [200, 200]);
  const third = await openStream(streams, path, streams.key.key);
  assert.equal(third.status, 429);
  assert.equal(JSON.parse(await third.text()).error.code, 'TOO_MANY_STREAMS');
  assert.equal(third.headers.get('retry-after'), '5');
  const b = await streams.newTenant('rl-streams-b');
  const bVideo = await uploadClip(streams, b.key.key);
  const bJob = await call(streams, 'POST', '/v1/jobs', { key: b.key.key, json: jobBody(bVideo.id) });
  const sb = await openStream(streams, `/v1/jobs/${bJob.body.id}/events`, b.key.key);
  assert.equal(sb.status, 200, "another tenant's cap is its own");
  s1.abort();
  let again: Stream | undefined;
  for (let i = 0; i < 40 && (!again || again.status !== 200); i++) {
    await new Promise((r) => setTimeout(r, 50));
    again = await openStream(streams, path, streams.key.key);
    if (again.status !== 200) again.abort();
  }
  assert.equal(again?.status, 200, 'the closed stream gave its slot back');
  for (const s of [s2, sb, again]) s.abort();
});

test('an open event stream ends with an error event once its key is revoked', async () => {
  const video = await uploadClip(streams);
  const job = await call(streams, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  const k = await streams.admin.createKey(streams.tenant.id, ['read'], 'to-revoke');
  let s: Stream | undefined;
  for (let i = 0; i < 40 && (!s || s.status !== 200); i++) {
    s = await openStream(streams, `/v1/jobs/${job.body.id}/events`, k.key);
    if (s.status !== 200) await new Promise((r) => setTimeout(r, 50)); // slots of the previous test closing
  }
  assert.equal(s?.status, 200);
  const ended = s.text();
  await new Promise((r) => setTimeout(r, 500));
  const revokedAt = Date.now();
  await streams.admin.revokeKey(k.prefix);
  const timeout = new Promise<string>((_, reject) =>
    setTimeout(() => reject(new Error('the stream stayed open after revocation')), 5000),
  );
  const text = await Promise.race([ended, timeout]);
  assert.match(text, /event: error\ndata: \{"code":"API_KEY_REVOKED"/);
  assert.ok(Date.now() - revokedAt < 3000);
});

test('previews: MAX_PREVIEWS_PER_TENANT run at once per tenant; the next one is 429 until a slot frees', async () => {
  const video = await uploadClip(streams);
  const url = new URL(`${streams.base}/v1/videos/${video.id}/preview`);
  // A preview whose body is still arriving holds its slot.
  const slow = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    headers: {
      authorization: `Bearer ${streams.key.key}`,
      'content-type': 'application/json',
      'content-length': '100',
    },
  });
  slow.on('error', () => undefined);
  after(() => void slow.destroy());
  slow.write('{"frame": 0,');
  await new Promise((r) => setTimeout(r, 300));
  const second = await call(streams, 'POST', `/v1/videos/${video.id}/preview`, { json: { frame: 0, objectId: 1 } });
  assert.equal(second.status, 429, JSON.stringify(second.body));
  assert.equal(second.body.error.code, 'TOO_MANY_PREVIEWS');
  assert.equal(second.headers.get('retry-after'), '1');
  slow.destroy();
  let freed: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < 40 && (!freed || freed.status === 429); i++) {
    await new Promise((r) => setTimeout(r, 50));
    freed = await call(streams, 'POST', `/v1/videos/${video.id}/preview`, { json: { frame: 0, objectId: 1 } });
  }
  assert.equal(freed?.status, 400, `the slot is free again: ${JSON.stringify(freed?.body)}`);
  assert.equal(freed?.body.error.code, 'EMPTY_PROMPT');
});
