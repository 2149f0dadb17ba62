// Issue 14, item 10: the dashboard's login gives an opaque session id in an HttpOnly, Secure,
// SameSite=Strict cookie (never the API key), kept in Redis with an expiry and ended by logout or by
// revoking the key; cookie-authenticated changes from another Origin are refused with 403, on the API
// and on bull-board. Real HTTP against the API with Postgres and Redis.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, jobBody, startApi, uploadClip, type TestApi } from '../api/helpers';

const EVIL = 'https://evil.example';
let api: TestApi;
before(async () => {
  api = await startApi('session');
});
after(async () => api?.close());

interface Cookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

function parseSetCookie(header: string | null): Cookie {
  assert.ok(header, 'a Set-Cookie header');
  const [pair, ...attrs] = header.split(';').map((p) => p.trim());
  const eq = pair!.indexOf('=');
  const attributes = new Map(
    attrs.map((a) => {
      const i = a.indexOf('=');
      return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    }),
  );
  return { name: pair!.slice(0, eq), value: pair!.slice(eq + 1), attributes };
}

async function login(target: TestApi, key: string): Promise<{ cookie: Cookie; body: Record<string, unknown> }> {
  const res = await fetch(`${target.base}/v1/session`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  assert.ok(!text.includes(key), 'the answer does not echo the key');
  return { cookie: parseSetCookie(res.headers.get('set-cookie')), body: JSON.parse(text) as Record<string, unknown> };
}

/** A request carrying the session cookie and no key. */
function withCookie(cookie: Cookie, method: string, path: string, opts: { origin?: string; json?: unknown } = {}) {
  return call(api, method, path, {
    key: null,
    headers: { cookie: `${cookie.name}=${cookie.value}`, ...(opts.origin ? { origin: opts.origin } : {}) },
    ...(opts.json !== undefined ? { json: opts.json } : {}),
  });
}

async function sessionKeys(): Promise<string[]> {
  return api.redis.keys('masklet:session:*');
}

test('login sets an opaque HttpOnly, Secure, SameSite=Strict session cookie that is not the key and expires', async () => {
  const { cookie, body } = await login(api, api.key.key);
  assert.equal(cookie.name, 'masklet_session');
  const secret = api.key.key.split('_').pop()!;
  for (const part of [api.key.key, api.key.prefix, secret])
    assert.ok(!decodeURIComponent(cookie.value).includes(part), 'the cookie holds nothing of the key');
  assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');
  assert.ok(cookie.attributes.has('httponly'), 'HttpOnly');
  assert.ok(cookie.attributes.has('secure'), 'Secure');
  assert.equal(cookie.attributes.get('samesite'), 'Strict');
  assert.equal(cookie.attributes.get('path'), '/');
  assert.equal(cookie.attributes.get('max-age'), String(api.config.SESSION_TTL_SECONDS));
  assert.equal(body['keyPrefix'], api.key.prefix);
  assert.equal(body['tenantId'], api.tenant.id);
  assert.ok(Date.parse(body['expiresAt'] as string) > Date.now());

  // Server side: Redis holds a hash of the id with a TTL, and neither the id nor the key.
  const stored = await sessionKeys();
  assert.ok(stored.length >= 1);
  for (const k of stored) {
    assert.ok(!k.includes(cookie.value));
    const value = (await api.redis.get(k)) ?? '';
    assert.ok(!value.includes(api.key.key) && !value.includes(secret) && !value.includes(cookie.value), value);
    const ttl = await api.redis.ttl(k);
    assert.ok(ttl > 0 && ttl <= api.config.SESSION_TTL_SECONDS, `ttl ${ttl}`);
  }

  // The cookie alone authenticates reads, as the key's tenant.
  const me = await withCookie(cookie, 'GET', '/v1/session');
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.keyPrefix, api.key.prefix);
  assert.equal(me.body.expiresAt, body['expiresAt']);
  assert.equal((await withCookie(cookie, 'GET', '/v1/videos')).status, 200);
  assert.equal(
    (await call(api, 'GET', '/v1/session', { key: null, headers: { cookie: 'masklet_session=forged' } })).status,
    401,
  );
});

test('a cookie-authenticated change from another Origin is refused with 403; the same from the dashboard passes', async () => {
  const video = await uploadClip(api);
  const { cookie } = await login(api, api.key.key);
  const jobs = async (): Promise<number> => api.prisma.job.count({ where: { tenantId: api.tenant.id } });
  const before = await jobs();

  const cross = await withCookie(cookie, 'POST', '/v1/jobs', { origin: EVIL, json: jobBody(video.id) });
  assert.equal(cross.status, 403, JSON.stringify(cross.body));
  assert.equal(cross.body.error.code, 'ORIGIN_MISMATCH');
  const none = await withCookie(cookie, 'POST', '/v1/jobs', { json: jobBody(video.id) });
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'ORIGIN_REQUIRED');
  const crossDelete = await withCookie(cookie, 'DELETE', `/v1/videos/${video.id}`, { origin: EVIL });
  assert.equal(crossDelete.status, 403);
  assert.equal(await jobs(), before, 'no job was created by the refused requests');
  assert.equal((await call(api, 'GET', `/v1/videos/${video.id}`)).status, 200, 'the video was not deleted');

  const same = await withCookie(cookie, 'POST', '/v1/jobs', { origin: api.base, json: jobBody(video.id) });
  assert.equal(same.status, 201, JSON.stringify(same.body));
  assert.equal(await jobs(), before + 1);
  // A key in the header is not ambient: no Origin rule applies to it.
  const byKey = await call(api, 'POST', '/v1/jobs', { headers: { origin: EVIL }, json: jobBody(video.id) });
  assert.equal(byKey.status, 201, JSON.stringify(byKey.body));

  // bull-board takes the operator's session cookie for reads, and refuses its changes from elsewhere.
  const { cookie: ops } = await login(api, api.operator.key);
  const board = await withCookie(ops, 'GET', '/admin/queues/api/queues');
  assert.equal(board.status, 200, JSON.stringify(board.body).slice(0, 200));
  const pause = await withCookie(ops, 'PUT', '/admin/queues/api/queues/segment/pause', { origin: EVIL });
  assert.equal(pause.status, 403, JSON.stringify(pause.body));
  assert.equal(pause.body.error.code, 'ORIGIN_MISMATCH');
});

test('logout ends the session on the server; revoking the key ends its sessions too', async () => {
  const { cookie } = await login(api, api.key.key);
  const countBefore = (await sessionKeys()).length;
  const out = await fetch(`${api.base}/v1/session`, {
    method: 'DELETE',
    headers: { cookie: `${cookie.name}=${cookie.value}`, origin: api.base },
  });
  assert.equal(out.status, 204);
  const cleared = parseSetCookie(out.headers.get('set-cookie'));
  assert.equal(cleared.name, 'masklet_session');
  assert.equal(cleared.value, '');
  assert.ok(Date.parse(cleared.attributes.get('expires') ?? '') < Date.now(), 'the cookie is expired in the browser');
  assert.equal((await sessionKeys()).length, countBefore - 1, 'the session left Redis');
  const reuse = await withCookie(cookie, 'GET', '/v1/videos');
  assert.equal(reuse.status, 401, 'the old cookie no longer works even if a browser kept it');
  assert.equal(reuse.body.error.code, 'SESSION_EXPIRED');

  const other = await api.newTenant('session-revoked');
  const { cookie: c2 } = await login(api, other.key.key);
  assert.equal((await withCookie(c2, 'GET', '/v1/videos')).status, 200);
  await api.admin.revokeKey(other.key.prefix);
  const revoked = await withCookie(c2, 'GET', '/v1/videos');
  assert.equal(revoked.status, 401);
  assert.equal(revoked.body.error.code, 'API_KEY_REVOKED');
});

test('Secure can be turned off for a dashboard on plain http, and a session ends at its TTL', async () => {
  const local = await startApi('session-local', { SESSION_COOKIE_SECURE: 'false', SESSION_TTL_SECONDS: '1' });
  try {
    const { cookie } = await login(local, local.key.key);
    assert.ok(!cookie.attributes.has('secure'));
    assert.ok(cookie.attributes.has('httponly'));
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    const get = () =>
      call(local, 'GET', '/v1/videos', { key: null, headers: { cookie: `${cookie.name}=${cookie.value}` } });
    assert.equal((await get()).status, 200);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await get();
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'SESSION_EXPIRED');
  } finally {
    await local.close();
  }
});
