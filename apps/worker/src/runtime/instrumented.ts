import { DelayedError, UnrecoverableError, type Job, type Processor } from 'bullmq';
import { contextFrom, recordFailure, SpanKind, trace } from '@masklet/telemetry';
import { ReleasedForShutdown } from './errors';
import type { WorkerMetrics } from './metrics';

export const workerTracer = () => trace.getTracer('masklet-worker');

/** What became of one attempt: the processor's own status when it returns one. */
function outcomeOf(result: unknown): string {
  const status = (result as { status?: unknown } | null)?.status;
  return typeof status === 'string' ? status : 'succeeded';
}

function failureOutcome(err: unknown, job: Job): string {
  if (err instanceof DelayedError) return 'delayed';
  if (err instanceof ReleasedForShutdown) return 'released';
  if (err instanceof UnrecoverableError) return 'failed';
  // BullMQ retries an error while attempts remain.
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1) ? 'failed' : 'retrying';
}

/**
 * Times each attempt into masklet_job_duration_seconds and runs it in a CONSUMER span that continues
 * the trace whose context the job's data carries (the API request that queued it).
 */
export function instrumented(queue: string, processor: Processor, metrics: WorkerMetrics): Processor {
  return (job: Job, token?: string) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return workerTracer().startActiveSpan(
      `${queue} job`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.destination.name': queue,
          'messaging.message.id': job.id ?? '',
          attempt: job.attemptsMade + 1,
        },
      },
      contextFrom(job.data),
      async (span) => {
        try {
          const result: unknown = await processor(job, token);
          const outcome = outcomeOf(result);
          metrics.jobDuration.observe({ queue, outcome }, seconds());
          span.setAttribute('outcome', outcome);
          return result;
        } catch (err) {
          const outcome = failureOutcome(err, job);
          metrics.jobDuration.observe({ queue, outcome }, seconds());
          span.setAttribute('outcome', outcome);
          // A delayed or released attempt is not an error of the job.
          if (outcome === 'failed' || outcome === 'retrying') recordFailure(span, err);
          throw err;
        } finally {
          span.end();
        }
      },
    );
  };
}
