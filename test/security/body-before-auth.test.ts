// Item 1 of issue 14: a body is never read before the caller's key is verified, and a body over its
// route's limit is refused from its declared length, while the client is still sending.
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startApi, type TestApi } from '../api/helpers';

let api: TestApi;
before(async () => {
  api = await startApi('body-before-auth');
});
after(async () => api?.close());

interface EarlyAnswer {
  status: number;
  body: any;
  connection: string | undefined;
  /** Body bytes the client had written when the answer came. */
  sentWhenAnswered: number;
}

/**
 * Declares `declared` bytes, writes `send` of them, then waits (without ever finishing the body) for
 * the answer. A server that reads the body before answering never answers: the wait times out.
 */
function sendPartially(
  path: string,
  headers: Record<string, string>,
  declared: number,
  send: number,
): Promise<EarlyAnswer> {
  const url = new URL(api.base + path);
  return new Promise((resolve, reject) => {
    let sent = 0;
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after sending ${sent} of ${declared} bytes: the server is waiting for the body`));
    }, 5000);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': String(declared) },
      },
      (res) => {
        const sentWhenAnswered = sent;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            connection: res.headers.connection,
            sentWhenAnswered,
          });
        });
      },
    );
    // The server may drop the socket while we still write: that is the point, not a failure.
    req.on('error', () => undefined);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    chunk[0] = 0x5b; // '[' so that the bytes would start a JSON document
    const pump = (): void => {
      while (sent < send) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

test('a 40 MB body without a key is answered 401 before the client finished sending it', async () => {
  const declared = 40 * 1024 * 1024;
  const r = await sendPartially('/v1/batches', { 'content-type': 'application/json' }, declared, 256 * 1024);
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'MISSING_API_KEY');
  assert.equal(r.connection, 'close', 'the connection is dropped instead of draining the body');
  assert.ok(r.sentWhenAnswered < declared, `answered after ${r.sentWhenAnswered} of ${declared} bytes`);
});

test('a wrong key is refused before its body is parsed: malformed JSON gets 401, not 400 MALFORMED_JSON', async () => {
  for (const key of [null, 'mk_000000000000_abcdefghijklmnopqrstuvwxyz']) {
    const r = await call(api, 'POST', '/v1/jobs', { key, raw: '{"videoId": ' });
    assert.equal(r.status, 401, JSON.stringify(r.body));
    assert.match(r.body.error.code, /^(MISSING|INVALID)_API_KEY$/);
  }
  // With a valid key the same body does reach the parser.
  const ok = await call(api, 'POST', '/v1/jobs', { raw: '{"videoId": ' });
  assert.equal(ok.status, 400);
  assert.equal(ok.body.error.code, 'MALFORMED_JSON');
});

test('with a key, a body declared over the route limit is 413 naming the limit, before it is sent', async () => {
  const declared = 40 * 1024 * 1024;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${api.key.key}` };
  const r = await sendPartially('/v1/jobs', headers, declared, 64 * 1024);
  assert.equal(r.status, 413);
  assert.equal(r.body.error.code, 'BODY_TOO_LARGE');
  assert.match(r.body.error.message, /1048576 bytes for POST \/v1\/jobs/);
  assert.ok(r.sentWhenAnswered < declared);
  // The batch route alone accepts bodies over 1 MiB (this one then fails validation, not the size check).
  const big = JSON.stringify({ jobs: [], padding: 'x'.repeat(2 * 1024 * 1024) });
  const b = await call(api, 'POST', '/v1/batches', { raw: big });
  assert.equal(b.status, 400, JSON.stringify(b.body).slice(0, 300));
  assert.notEqual(b.body.error.code, 'BODY_TOO_LARGE');
  const j = await call(api, 'POST', '/v1/jobs', { raw: big });
  assert.equal(j.status, 413);
  assert.match(j.body.error.message, /1048576 bytes/);
});
