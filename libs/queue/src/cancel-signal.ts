import type { Redis } from 'ioredis';

/** Cancellation crosses processes through Redis: a flag (for late readers) and a pub/sub message. */
export const CANCEL_CHANNEL = 'masklet:cancel';
const flagKey = (jobId: string): string => `masklet:cancelled:${jobId}`;

export async function signalCancel(redis: Redis, jobId: string): Promise<void> {
  await redis.set(flagKey(jobId), '1', 'EX', 7 * 24 * 3600);
  await redis.publish(CANCEL_CHANNEL, jobId);
}

export async function isCancelled(redis: Redis, jobId: string): Promise<boolean> {
  return (await redis.exists(flagKey(jobId))) === 1;
}
