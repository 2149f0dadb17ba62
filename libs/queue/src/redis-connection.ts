import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/** The Redis settings of MaskletConfig (libs/config): one node by URL, or the primary a set of Sentinels names. */
export interface RedisTarget {
  REDIS_URL: string;
  REDIS_SENTINELS?: readonly { host: string; port: number }[];
  REDIS_SENTINEL_NAME?: string;
  REDIS_SENTINEL_PASSWORD?: string;
}

/**
 * A connection BullMQ can share: workers block on it, so no per-request retry limit. Connections that
 * never block (the API's) pass commandTimeoutMs so a paused or lost Redis fails a command instead of
 * queueing it forever.
 *
 * With Sentinels configured, every (re)connect asks them for the current primary, so after a failover the
 * same client (and BullMQ's duplicates of it) carries on against the promoted replica; commands issued
 * meanwhile wait in ioredis's offline queue. A plain URL string is one node (tests, benches).
 */
export function createRedisConnection(target: RedisTarget | string, opts: { commandTimeoutMs?: number } = {}): Redis {
  const t: RedisTarget = typeof target === 'string' ? { REDIS_URL: target } : target;
  const common: RedisOptions = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(opts.commandTimeoutMs ? { commandTimeout: opts.commandTimeoutMs } : {}),
  };
  if (!t.REDIS_SENTINELS?.length) return new IORedis(t.REDIS_URL, common);
  const url = new URL(t.REDIS_URL);
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return new IORedis({
    ...common,
    sentinels: t.REDIS_SENTINELS.map((s) => ({ host: s.host, port: s.port })),
    name: t.REDIS_SENTINEL_NAME ?? 'masklet',
    ...(t.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: t.REDIS_SENTINEL_PASSWORD } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
    ...(url.protocol === 'rediss:' ? { tls: {}, enableTLSForSentinelMode: true } : {}),
    // No failoverDetector: its disconnect can land during a reconnect and end the client for good (ioredis 6
    // rejects that connect with "Connection is closed." and sets status end). A dead primary fails the socket anyway.
    // A primary demoted while we were connected answers writes with READONLY: reconnect (to whatever the
    // Sentinels name now) and resend the command.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
  });
}
