import type { JobsOptions } from 'bullmq';

/** Attempts of a segment job: infrastructure failures retry, bad input / engine errors fail at once (UnrecoverableError). */
export const SEGMENT_ATTEMPTS = 3;
export const SEGMENT_BACKOFF_MS = 5_000;
export const EXPORT_ATTEMPTS = 3;
export const EXPORT_BACKOFF_MS = 2_000;

/**
 * Options the API should use when adding a segment job (round 1 or later rounds): retries with
 * exponential backoff, the fair priority, and bounded history. The jobId is the database id
 * (segmentJobId) so a duplicate add is a no-op.
 */
export function segmentJobOptions(jobId: string, fairPriorityValue: number): JobsOptions {
  return {
    jobId,
    priority: fairPriorityValue,
    attempts: SEGMENT_ATTEMPTS,
    backoff: { type: 'exponential', delay: SEGMENT_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

export function exportJobOptions(jobId: string): JobsOptions {
  return {
    jobId,
    attempts: EXPORT_ATTEMPTS,
    backoff: { type: 'exponential', delay: EXPORT_BACKOFF_MS },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Webhook deliveries retry non-2xx answers and network errors: attempts and base delay from WEBHOOK_ATTEMPTS / WEBHOOK_BACKOFF_MS. */
export function webhookJobOptions(jobId: string, attempts: number, backoffMs: number): JobsOptions {
  return {
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
