import { VideoSession } from '@masklet/engine';
import { openVideoFile } from '@masklet/video';
import { PermanentJobError, ReleasedForShutdown } from '../runtime/errors';
import type { WorkerContext } from '../runtime/context';
import { applyPrompts } from './apply-prompts';
import { ChunkWriter, type WrittenChunk } from './chunk-writer';
import { plannedFrameCount } from './frame-plan';
import type { RoundPlan } from './round-plan';

export interface RoundProgress {
  framesDone: number;
  framesTotal: number;
  chunk: WrittenChunk;
}

export interface RoundHooks {
  /** Called once the frame count is known (video opened, prompts checked). */
  onStart(framesTotal: number): Promise<void>;
  /** After each chunk is durably written (S3 object and rows). */
  onChunk(progress: RoundProgress): Promise<void>;
}

export type RoundOutcome =
  | { status: 'succeeded'; framesDone: number; framesTotal: number; chunks: number; engineMs: number }
  | { status: 'cancelled'; framesDone: number; framesTotal: number };

/**
 * One propagation round: video from the scratch cache, prompts into a fresh VideoSession, frames
 * streamed into chunks. After every frame it checks the local cancel set and the shutdown flag, so
 * either stops the job within the frame in flight; what is still buffered is dropped.
 *
 * Resume seam: a later issue restores a session checkpoint here (skip frames whose chunks exist and
 * start the engine from the checkpointed state); today a redo starts over and rewrites identical chunks.
 */
export async function propagateRound(ctx: WorkerContext, plan: RoundPlan, hooks: RoundHooks): Promise<RoundOutcome> {
  const model = ctx.model;
  if (!model) throw new Error('this worker has no model loaded');
  const jobId = plan.job.id;
  const cached = await ctx.videos.acquire(plan.video);
  let source: Awaited<ReturnType<typeof openVideoFile>> | null = null;
  let session: VideoSession | null = null;
  try {
    source = await openVideoFile(cached.path);
    const { numFrames, width, height } = source.info;
    session = new VideoSession(model, source, { nonOverlap: plan.options.nonOverlap ?? false });
    if (plan.prompts.length === 0) throw new PermanentJobError('bad_input.no_prompts', `job ${jobId} round ${plan.round} has no prompts`);
    await applyPrompts(session, plan.prompts, plan.objectIds);
    const promptFrames = plan.prompts.map((p) => p.frame);
    const start = plan.options.startFrame ?? Math.min(...promptFrames);
    if (start >= numFrames) throw new PermanentJobError('bad_input.start_frame', `startFrame ${start} is outside the video (0..${numFrames - 1})`);
    const framesTotal = plannedFrameCount(numFrames, start, plan.options.direction, plan.options.maxFrames);
    await hooks.onStart(framesTotal);

    const writer = new ChunkWriter(ctx.prisma, ctx.store, {
      jobId, tenantId: plan.job.tenantId, round: plan.round, width, height,
      chunkFrames: plan.options.chunkFrames ?? ctx.config.CHUNK_FRAMES,
    });
    const report = async (chunk: WrittenChunk | null): Promise<void> => {
      if (chunk) await hooks.onChunk({ framesDone: writer.framesWritten, framesTotal, chunk });
    };
    let chunks = 0;
    let engineMs = 0;
    const it = session.propagate({ startFrame: start, direction: plan.options.direction, ...(plan.options.maxFrames !== undefined ? { maxFrames: plan.options.maxFrames } : {}) });
    let t0 = performance.now();
    for await (const result of it) {
      engineMs += performance.now() - t0;
      ctx.stats.frame();
      ctx.metrics.framesProcessed.inc();
      if (ctx.cancels.has(jobId)) {
        writer.discard();
        return { status: 'cancelled', framesDone: writer.framesWritten, framesTotal };
      }
      if (ctx.isStopping()) {
        writer.discard();
        throw new ReleasedForShutdown();
      }
      const chunk = await writer.add(result);
      if (chunk) chunks++;
      await report(chunk);
      t0 = performance.now();
    }
    const last = await writer.flush();
    if (last) chunks++;
    await report(last);
    return { status: 'succeeded', framesDone: writer.framesWritten, framesTotal, chunks, engineMs };
  } finally {
    await session?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    cached.release();
  }
}
