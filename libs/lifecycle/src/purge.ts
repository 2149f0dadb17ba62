import type { Redis } from 'ioredis';
import type { ObjectStore } from '@masklet/storage';

const DELETE_CONCURRENCY = 8;

/** Deletes every object under the prefixes; returns how many. Listing again afterwards finds none. */
export async function deletePrefixes(store: ObjectStore, prefixes: readonly string[]): Promise<number> {
  let n = 0;
  for (const prefix of prefixes) {
    const keys = await store.list(prefix);
    for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
      await Promise.all(keys.slice(i, i + DELETE_CONCURRENCY).map((k) => store.delete(k)));
    }
    n += keys.length;
  }
  return n;
}

/** Deletes the keys matching each pattern (SCAN, never KEYS: the server is not blocked). */
export async function deleteRedisPatterns(redis: Redis, patterns: readonly string[]): Promise<number> {
  let n = 0;
  for (const pattern of patterns) {
    if (!pattern.includes('*')) {
      n += await redis.del(pattern);
      continue;
    }
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) n += await redis.del(...keys);
    } while (cursor !== '0');
  }
  return n;
}
