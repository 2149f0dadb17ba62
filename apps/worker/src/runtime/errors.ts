import { EngineInputError } from '@masklet/engine';
import { VideoDecodeError, VideoProbeError } from '@masklet/video';

/** A failure that retrying cannot fix: the job is FAILED at once with this code. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A failure worth retrying (incomplete download, ...), whatever phase it happened in. */
export class TransientJobError extends Error {
  override readonly name = 'TransientJobError';
  /** The code the job fails with if its attempts run out. */
  constructor(
    message: string,
    readonly code = 'infrastructure',
  ) {
    super(message);
  }
}

/** The worker is shutting down: the job goes back to the queue without losing an attempt. */
export class ReleasedForShutdown extends Error {
  override readonly name = 'ReleasedForShutdown';
  constructor() {
    super('worker shutting down; job released');
  }
}

/**
 * BullMQ lost the job's entry or lock under us (Redis restarted empty, or the lock expired and another
 * worker owns it). Nothing is wrong with the job: it goes back to QUEUED and the queue reconciler (or the
 * other owner) carries on; it never counts as a failure of the job.
 */
export class QueueEntryLostError extends Error {
  override readonly name = 'QueueEntryLostError';
}

const BULL_ENTRY_LOST = /Missing (key|lock) for job|Lock mismatch for job|could not renew lock/i;

/** Wraps BullMQ's untyped missing-key / missing-lock errors into QueueEntryLostError. */
export function asQueueEntryLost(err: unknown): QueueEntryLostError | null {
  if (err instanceof QueueEntryLostError) return err;
  return err instanceof Error && BULL_ENTRY_LOST.test(err.message) ? new QueueEntryLostError(err.message) : null;
}

/** What tenants see in a job's error field for an infrastructure failure: never the raw driver message. */
export const INFRASTRUCTURE_MESSAGE =
  'a platform dependency (database, queue or object storage) was unavailable; the job is retried';

export interface Classified {
  /** true: let BullMQ retry (infrastructure). false: fail now. */
  retryable: boolean;
  code: string;
  message: string;
}

const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOSPC',
  'EMFILE',
  'ENFILE',
  'EBUSY',
]);

function isInfrastructure(err: Error & { code?: unknown; $metadata?: unknown }): boolean {
  if (typeof err.code === 'string' && TRANSIENT_ERRNO.has(err.code)) return true;
  if (err.$metadata !== undefined) return true; // AWS SDK (S3) error
  if (/^PrismaClient|^DriverAdapterError/.test(err.name)) return true;
  if (/ReplyError|MaxRetriesPerRequestError|Connection is closed|ioredis/i.test(`${err.name} ${err.message}`))
    return true;
  return false;
}

/**
 * Bad input (prompts, video) and engine errors are permanent; database, Redis, S3 and OS resource
 * errors are infrastructure and retried. `phase` says where the error came from: anything thrown
 * by the engine itself while segmenting that is not infrastructure counts as an engine error.
 */
export function classifyError(err: unknown, phase: 'setup' | 'engine' | 'io'): Classified {
  if (!(err instanceof Error)) return { retryable: false, code: 'internal_error', message: String(err) };
  if (err instanceof PermanentJobError) return { retryable: false, code: err.code, message: err.message };
  if (asQueueEntryLost(err)) return { retryable: true, code: 'queue_entry_lost', message: err.message };
  if (err instanceof TransientJobError) return { retryable: true, code: err.code, message: err.message };
  if (err instanceof EngineInputError) return { retryable: false, code: `bad_input.${err.code}`, message: err.message };
  if (err instanceof VideoProbeError) {
    return err.code === 'probe_failed'
      ? { retryable: true, code: 'video.probe_failed', message: err.message }
      : { retryable: false, code: `bad_video.${err.code}`, message: err.message };
  }
  if (err instanceof VideoDecodeError) return { retryable: false, code: `bad_video.${err.code}`, message: err.message };
  if (isInfrastructure(err)) return { retryable: true, code: 'infrastructure', message: err.message };
  if (phase === 'engine') return { retryable: false, code: 'engine_error', message: err.message };
  return { retryable: true, code: 'internal_error', message: err.message };
}
