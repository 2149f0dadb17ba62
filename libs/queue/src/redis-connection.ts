import IORedis, { type Redis } from 'ioredis';

/** A connection BullMQ can share: workers block on it, so no per-request retry limit. */
export function createRedisConnection(url: string): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
