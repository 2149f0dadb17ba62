import { DelayedError, UnrecoverableError, type Job as BullJob } from 'bullmq';
import { parsePayload, SEGMENT_BACKOFF_MS, SegmentPayload } from '@masklet/queue';
import type { WorkerContext } from '../runtime/context';
import { enqueueExports, enqueueWebhook } from '../runtime/enqueue';
import {
  asQueueEntryLost,
  classifyError,
  INFRASTRUCTURE_MESSAGE,
  PermanentJobError,
  ReleasedForShutdown,
} from '../runtime/errors';
import { CheckpointStore } from '@masklet/masklets';
import { JobState } from './job-state';
import { meanIouDelta } from './iou-delta';
import { propagateRound } from './propagate-round';
import { loadRoundPlan, type RoundPlan } from './round-plan';

export interface SegmentResult {
  status: 'succeeded' | 'cancelled' | 'skipped';
  framesDone?: number;
  chunks?: number;
  wallMs?: number;
  engineMs?: number;
}

/** The BullMQ processor of the segment queue (round 1; later rounds reuse loadRoundPlan / propagateRound). */
export function segmentProcessor(ctx: WorkerContext) {
  return async (bull: BullJob, token?: string): Promise<SegmentResult> => {
    let payload: SegmentPayload;
    try {
      payload = parsePayload(SegmentPayload, bull.data, bull.queueName);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    const log = ctx.log.child({
      queue: bull.queueName,
      jobId: payload.jobId,
      round: payload.round,
      attempt: bull.attemptsMade + 1,
    });
    const state = new JobState(ctx.prisma, payload.jobId, payload.round);
    const started = performance.now();

    let plan: RoundPlan;
    try {
      plan = await loadRoundPlan(ctx.prisma, payload.jobId, payload.tenantId, payload.round);
    } catch (err) {
      return fail(err, 'setup');
    }
    const job = plan.job;
    // Queues are per model, so this only trips on an entry added to the wrong queue by hand or by a bug.
    if (job.model !== ctx.engine?.modelName) {
      return fail(
        new PermanentJobError(
          'model_not_served',
          `job ${job.id} runs model ${job.model}; this queue's worker serves ${ctx.engine?.modelName ?? 'no model'}`,
        ),
        'setup',
      );
    }
    if (job.status === 'CANCELLED' || (await ctx.cancels.check(job.id))) {
      await state.markCancelled();
      await enqueueWebhook(ctx, job.id, job.webhookUrl, 'job.cancelled');
      log.info('job cancelled before start');
      ctx.cancels.forget(job.id);
      return { status: 'cancelled' };
    }
    // The Job row mirrors its current round; an older round's queue entry (a late redelivery) has nothing left to do.
    if (job.status === 'SUCCEEDED' || job.status === 'FAILED' || plan.round < job.currentRound) {
      log.info(
        { status: job.status, round: plan.round, roundStatus: plan.roundStatus, currentRound: job.currentRound },
        'round already finished or superseded; nothing to do',
      );
      return { status: 'skipped' };
    }

    ctx.stats.activeJobs.add(job.id);
    try {
      await state.markRunning(ctx.workerId, plan.direction);
      log.info(
        { videoId: plan.video.id, objects: plan.objectIds.length, prompts: plan.prompts.length, options: plan.options },
        'job started',
      );
      const outcome = await propagateRound(ctx, plan, {
        onStart: async (framesTotal, start, range) => {
          await state.setTotal(framesTotal, range);
          await state.recordAttempt({
            attempt: bull.attemptsMade + 1,
            workerId: ctx.workerId,
            at: new Date().toISOString(),
            framesTotal,
            ...start,
          });
          if (start.resumedFrom)
            log.info(
              { resumedFrom: start.resumedFrom, checkpointSource: start.checkpointSource },
              'resuming from checkpoint',
            );
        },
        onChunk: async ({ framesDone, framesTotal, chunk }) => {
          await state.progress(framesDone, framesTotal);
          await bull.updateProgress({
            framesDone,
            framesTotal,
            progress: framesTotal ? framesDone / framesTotal : 0,
            lastChunk: chunk.startFrame,
          });
        },
      });
      const wallMs = performance.now() - started;
      if (outcome.status === 'cancelled') {
        await state.markCancelled();
        await enqueueWebhook(ctx, job.id, job.webhookUrl, 'job.cancelled');
        log.info({ framesDone: outcome.framesDone }, 'job cancelled');
        return { status: 'cancelled', framesDone: outcome.framesDone, wallMs };
      }
      // The round's results go on its row before the status turns SUCCEEDED: whoever sees SUCCEEDED
      // (a client polling the job, the rounds history) sees them too.
      const delta = await meanIouDelta(ctx.prisma, ctx.store, job.id, plan.round).catch((err: unknown) => {
        log.warn({ err }, 'meanIouDelta not computed');
        return null;
      });
      await state.recordResult(
        {
          checkpoint: outcome.checkpoint,
          checkpointsSaved: outcome.checkpointsSaved,
          passes: outcome.passes,
          framesRecomputed: outcome.framesDone,
        },
        delta,
      );
      log.info(
        { checkpointBytes: outcome.checkpoint.bytes, perObject: outcome.checkpoint.perObject, meanIouDelta: delta },
        'round checkpoint',
      );
      if (!(await state.markSucceeded(outcome.framesDone))) {
        log.warn('job left RUNNING while it ran (cancelled?); results kept, status untouched');
        return { status: 'cancelled', framesDone: outcome.framesDone, wallMs };
      }
      // The round is accepted: no future round resumes from anything but its end checkpoint.
      if (ctx.config.CHECKPOINT_PRUNE) {
        await new CheckpointStore(ctx.redis, ctx.store, ctx.config.CHECKPOINT_TTL_SECONDS)
          .prune(job.tenantId, job.id, plan.round)
          .then((dropped) => log.info({ dropped: dropped.length }, 'checkpoints pruned'))
          .catch((err: unknown) =>
            log.warn({ err }, 'checkpoint pruning failed; the next accepted round prunes again'),
          );
      }
      ctx.stats.jobsCompleted++;
      // Every round gets the job's exports as of that round; round 1 reports job.succeeded, corrections round.succeeded.
      await enqueueExports(ctx, job, plan.round, plan.options.outputs);
      // With exports, the webhook waits for them (export/announce-round.ts) so its payload can list them.
      if (plan.options.outputs.length === 0)
        await enqueueWebhook(ctx, job.id, job.webhookUrl, plan.round === 1 ? 'job.succeeded' : 'round.succeeded');
      const fps = outcome.framesDone / (wallMs / 1000);
      log.info(
        {
          framesDone: outcome.framesDone,
          chunks: outcome.chunks,
          wallMs: Math.round(wallMs),
          engineMs: Math.round(outcome.engineMs),
          fps: Number(fps.toFixed(2)),
        },
        'job succeeded',
      );
      return {
        status: 'succeeded',
        framesDone: outcome.framesDone,
        chunks: outcome.chunks,
        wallMs,
        engineMs: outcome.engineMs,
      };
    } catch (err) {
      if (err instanceof ReleasedForShutdown) {
        await state.markReleased();
        // Back to the queue at once, without consuming an attempt; another worker (or this one restarted) redoes it.
        await bull.moveToDelayed(Date.now(), token);
        log.info('job released for shutdown');
        throw new DelayedError();
      }
      return fail(err, 'engine');
    } finally {
      ctx.stats.activeJobs.delete(job.id);
      ctx.cancels.forget(job.id);
    }

    async function fail(err: unknown, phase: 'setup' | 'engine'): Promise<never> {
      const c = classifyError(err, phase);
      if (asQueueEntryLost(err)) {
        // The entry is gone (or owned by another worker): BullMQ cannot record this attempt anyway. The
        // row goes back to QUEUED; the reconciler re-adds the entry once the row is past its grace period.
        log.warn({ err: c.message }, 'queue entry lost mid-job; handing the job back to the reconciler');
        await state.markReleased().catch((e: unknown) => log.warn({ err: e }, 'could not mark the job released'));
        throw err;
      }
      if (c.code === 'infrastructure' && (await retryInfraWithinWindow(c))) throw new DelayedError();
      const attempts = bull.opts.attempts ?? 1;
      const last = !c.retryable || bull.attemptsMade + 1 >= attempts;
      log.error({ err, code: c.code, retryable: c.retryable, last }, 'job attempt failed');
      if (err instanceof PermanentJobError && err.code === 'not_found') throw new UnrecoverableError(c.message);
      if (last) {
        const job = await ctx.prisma.job.findUnique({ where: { id: payload.jobId }, select: { webhookUrl: true } });
        if (await state.markFailed(c.code, c.code === 'infrastructure' ? INFRASTRUCTURE_MESSAGE : c.message)) {
          ctx.stats.jobsFailed++;
          await enqueueWebhook(ctx, payload.jobId, job?.webhookUrl ?? null, 'job.failed');
        }
        throw new UnrecoverableError(`${c.code}: ${c.message}`);
      }
      await state.markRetrying(c.code, c.code === 'infrastructure' ? INFRASTRUCTURE_MESSAGE : c.message);
      throw err instanceof Error ? err : new Error(String(err));
    }

    /**
     * An unreachable Redis/Postgres/S3 is not the job's fault: within INFRA_RETRY_WINDOW_MS of the first
     * such failure the job is delayed and retried without using an attempt. The window's start rides on
     * the queue entry's data, so it survives worker restarts.
     */
    async function retryInfraWithinWindow(c: { message: string }): Promise<boolean> {
      const data = bull.data as { infraSince?: number };
      const since = typeof data.infraSince === 'number' ? data.infraSince : Date.now();
      if (Date.now() - since >= ctx.config.INFRA_RETRY_WINDOW_MS) return false;
      try {
        await bull.updateData({ ...data, infraSince: since });
        await state.markRetrying('infrastructure', INFRASTRUCTURE_MESSAGE).catch(() => undefined);
        await bull.moveToDelayed(Date.now() + SEGMENT_BACKOFF_MS, token);
      } catch (err) {
        log.warn({ err, cause: c.message }, 'could not delay the job in the queue; BullMQ retries it with an attempt');
        return false;
      }
      log.warn(
        { cause: c.message, since: new Date(since).toISOString() },
        'dependency unavailable; job delayed without using an attempt',
      );
      return true;
    }
  };
}
