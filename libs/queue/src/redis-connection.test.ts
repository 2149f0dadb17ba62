import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@masklet/config';
import { createRedisConnection } from './redis-connection';

test('REDIS_SENTINELS selects Sentinel mode: the master name, Sentinel list and the primary credentials of REDIS_URL', () => {
  const config = loadConfig({
    DATABASE_URL: 'postgres://x@h/db',
    REDIS_URL: 'redis://app:s%3Acret@ignored:6379/3',
    REDIS_SENTINELS: 'sa:26379, [::1]:26380',
    REDIS_SENTINEL_NAME: 'prod',
    REDIS_SENTINEL_PASSWORD: 'sp',
  });
  const r = createRedisConnection(config, { commandTimeoutMs: 250 });
  try {
    assert.deepEqual(r.options.sentinels, [
      { host: 'sa', port: 26379 },
      { host: '::1', port: 26380 },
    ]);
    assert.equal(r.options.name, 'prod');
    assert.equal(r.options.sentinelPassword, 'sp');
    assert.equal(r.options.username, 'app');
    assert.equal(r.options.password, 's:cret');
    assert.equal(r.options.db, 3);
    assert.equal(r.options.commandTimeout, 250);
    assert.equal(r.options.maxRetriesPerRequest, null, 'BullMQ workers block on these connections');
  } finally {
    r.disconnect();
  }
});

test('without REDIS_SENTINELS the connection is REDIS_URL itself', () => {
  const r = createRedisConnection(
    loadConfig({ DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://127.0.0.1:1/2' }),
  );
  try {
    assert.ok(!r.options.sentinels);
    assert.equal(r.options.port, 1);
    assert.equal(r.options.db, 2);
  } finally {
    r.disconnect();
  }
});

test('a malformed Sentinel address is a configuration error naming it', () => {
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://x@h/db', REDIS_SENTINELS: 'sa:26379,sb' }),
    /REDIS_SENTINELS: "sb" is not host:port/,
  );
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://x@h/db', REDIS_SENTINELS: 'sa:70000' }),
    /"sa:70000" is not host:port/,
  );
});
