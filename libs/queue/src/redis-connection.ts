import IORedis, { type Redis } from 'ioredis';

/**
 * A connection BullMQ can share: workers block on it, so no per-request retry limit. Connections that
 * never block (the API's) pass commandTimeoutMs so a paused or lost Redis fails a command instead of
 * queueing it forever.
 */
export function createRedisConnection(url: string, opts: { commandTimeoutMs?: number } = {}): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    ...(opts.commandTimeoutMs ? { commandTimeout: opts.commandTimeoutMs } : {}),
  });
}
