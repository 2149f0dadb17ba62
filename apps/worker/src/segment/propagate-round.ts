import type { CapturedCheckpoint, CheckpointSummary, EncodedCheckpoint } from '@masklet/engine';
import {
  CheckpointStore,
  correctionPasses,
  initialPasses,
  jobFrameRange,
  jobSessionOptions,
  plannedFrames,
  type CheckpointMeta,
  type FrameRange,
  type Pass,
} from '@masklet/masklets';
import type { FrameSource } from '@masklet/video';
import type { EngineSession } from '../engine/engine-port';
import { PermanentJobError, ReleasedForShutdown } from '../runtime/errors';
import type { WorkerContext } from '../runtime/context';
import { applyPrompts } from './apply-prompts';
import { ChunkWriter, type WrittenChunk } from './chunk-writer';
import type { RoundPlan } from './round-plan';
import { inSpan } from '@masklet/telemetry';
import { workerTracer } from '../runtime/instrumented';
import { ChunkSpans } from './chunk-span';

export interface RoundProgress {
  framesDone: number;
  framesTotal: number;
  chunk: WrittenChunk;
}

/** Where an attempt started: a progress checkpoint of this round (resume), the base round's end checkpoint, or nothing (round 1 from scratch). */
export interface AttemptStart {
  resumedFrom: { pass: number; frame: number; framesWritten: number } | null;
  checkpointSource: 'redis' | 's3' | null;
  baseRound: number | null;
}

export interface RoundHooks {
  /** Called once the frame count is known (video opened, prompts checked) and the start point chosen: the round's own frames and the job's range. */
  onStart(framesTotal: number, start: AttemptStart, range: FrameRange): Promise<void>;
  /** After each chunk is durably written (S3 object and rows) and its checkpoint saved. */
  onChunk(progress: RoundProgress): Promise<void>;
}

export type RoundOutcome =
  | {
      status: 'succeeded';
      framesDone: number;
      framesTotal: number;
      chunks: number;
      engineMs: number;
      passes: Pass[];
      checkpoint: CheckpointSummary;
      checkpointsSaved: number;
    }
  | { status: 'cancelled'; framesDone: number; framesTotal: number };

/** The passes of a round inside the job's frame range (see @masklet/masklets frame-range). */
export function planPasses(
  plan: Pick<RoundPlan, 'round' | 'options' | 'prompts' | 'direction'>,
  range: FrameRange,
): Pass[] {
  if (plan.round === 1) {
    const startFrame = plan.options.startFrame ?? Math.min(...plan.prompts.map((p) => p.frame));
    return initialPasses({ direction: plan.direction, startFrame, maxFrames: plan.options.maxFrames }, range);
  }
  return correctionPasses(
    plan.direction,
    plan.prompts.map((p) => p.frame),
    range,
  );
}

/** The job's frames, from its options and the decoded video's length. */
export function roundFrameRange(plan: Pick<RoundPlan, 'options' | 'prompts'>, numFrames: number): FrameRange {
  const startFrame = plan.options.startFrame ?? Math.min(...plan.prompts.map((p) => p.frame));
  return jobFrameRange({ direction: plan.options.direction, startFrame, maxFrames: plan.options.maxFrames }, numFrames);
}

/**
 * One propagation round: video from the scratch cache, engine state from a checkpoint or fresh,
 * frames streamed into chunks. After every frame it checks the local cancel set and the shutdown
 * flag, so either stops the engine after its frame in flight (an engine thread runs ahead at most to
 * the end of the chunk); what is still buffered is dropped.
 *
 * Resume: a chunk is flushed as soon as its last frame (in travel order) is done, then the session is
 * checkpointed with the pass and next frame (`progress`), so a checkpoint always matches exactly the
 * frames written. A retried attempt restores the latest progress checkpoint, skips the frames whose
 * chunks exist and continues the engine from there; restoring is bit-exact, so the masks equal an
 * uninterrupted run. At the end the `end` checkpoint is saved whole (a correction round restores it).
 * Checkpoints are incremental segments of one chain per job (see CheckpointStore): each chunk adds the
 * outputs of its own frames, so checkpointing stays linear in the video's length.
 */
export async function propagateRound(ctx: WorkerContext, plan: RoundPlan, hooks: RoundHooks): Promise<RoundOutcome> {
  const engine = ctx.engine;
  if (!engine) throw new Error('this worker has no engine');
  const jobId = plan.job.id;
  const tenantId = plan.job.tenantId;
  const checkpoints = new CheckpointStore(ctx.redis, ctx.store, ctx.config.CHECKPOINT_TTL_SECONDS);
  let source: FrameSource | null = null;
  // Fetching the video into the scratch cache and starting its decoder.
  const { cached, opened } = await inSpan(
    workerTracer(),
    'decode',
    { attributes: { 'masklet.video_id': plan.video.id } },
    async () => {
      const c = await ctx.videos.acquire(plan.video);
      try {
        return { cached: c, opened: await engine.openVideo(c.path) };
      } catch (err) {
        c.release();
        throw err;
      }
    },
  );
  let session: EngineSession | null = null;
  const sessionOptions = jobSessionOptions(plan.options);
  const spans = new ChunkSpans();
  try {
    source = opened;
    const { numFrames, width, height } = source.info;
    if (plan.round === 1 && plan.prompts.length === 0)
      throw new PermanentJobError('bad_input.no_prompts', `job ${jobId} round ${plan.round} has no prompts`);
    const range = roundFrameRange(plan, numFrames);
    if (range.end < range.start)
      throw new PermanentJobError(
        'bad_input.start_frame',
        `startFrame ${range.start} is outside the video (0..${numFrames - 1})`,
      );
    const passes = planPasses(plan, range);
    const framesTotal = plannedFrames(passes).size;

    const writer = new ChunkWriter(ctx.prisma, ctx.store, {
      jobId,
      tenantId,
      round: plan.round,
      width,
      height,
      chunkFrames: plan.options.chunkFrames ?? ctx.config.CHUNK_FRAMES,
    });

    // Where to start: this round's progress checkpoint, else the base round's end state, else fresh.
    let firstPass = 0;
    let firstFrame = passes[0]?.start ?? 0;
    // Segment ids of the checkpoint chain the session's persisted outputs live in (extended per chunk).
    const chain: string[] = [];
    let start: AttemptStart = { resumedFrom: null, checkpointSource: null, baseRound: plan.baseRound };
    const progress = await checkpoints.load(tenantId, jobId, plan.round, 'progress');
    if (
      progress &&
      progress.meta.pass !== undefined &&
      progress.meta.nextFrame !== undefined &&
      progress.meta.pass < passes.length
    ) {
      session = await engine.open(source, sessionOptions, progress.chain);
      chain.push(...progress.segments);
      firstPass = progress.meta.pass;
      firstFrame = progress.meta.nextFrame;
      start = {
        resumedFrom: { pass: firstPass, frame: firstFrame, framesWritten: progress.meta.framesWritten },
        checkpointSource: progress.source,
        baseRound: plan.baseRound,
      };
      ctx.stats.checkpoints.resumes++;
      countRestore(ctx, progress.source);
    } else {
      if (plan.baseRound !== null) {
        const base = await checkpoints.load(tenantId, jobId, plan.baseRound, 'end');
        if (!base)
          throw new PermanentJobError(
            'checkpoint_missing',
            `round ${plan.round}: the end checkpoint of round ${plan.baseRound} is gone from Redis and S3`,
          );
        session = await engine.open(source, sessionOptions, base.chain);
        chain.push(...base.segments);
        start.checkpointSource = base.source;
        countRestore(ctx, base.source);
        await session.removeObjects(plan.removedObjects);
        await applyPrompts(session, plan.prompts, plan.objectIds, { appendClicks: true });
      } else {
        session = await engine.open(source, sessionOptions);
        await applyPrompts(session, plan.prompts, plan.objectIds);
      }
    }
    // Frames an earlier attempt wrote (their chunks exist) are not written again.
    const existing = await ctx.prisma.maskletChunk.findMany({
      where: { jobId, round: plan.round },
      select: { startFrame: true, endFrame: true },
    });
    const done: number[] = [];
    for (const c of existing) for (let f = c.startFrame; f < c.endFrame; f++) done.push(f);
    writer.seed(done);
    await hooks.onStart(framesTotal, start, range);

    let chunks = 0;
    let engineMs = 0;
    let checkpointsSaved = 0;
    const last: { summary: CheckpointSummary | null } = { summary: null };
    const saveCheckpoint = async (
      meta: Omit<CheckpointMeta, 'jobId' | 'round' | 'savedAt' | 'framesWritten'>,
      framesWritten: number,
      snapshot?: EncodedCheckpoint,
    ): Promise<void> => {
      const { data, summary } = snapshot ?? (await ctx.checkpointEncoder.encode(await session!.capture()));
      chain.push(await checkpoints.saveSegment(tenantId, jobId, plan.round, data));
      await checkpoints.save(
        tenantId,
        { jobId, round: plan.round, savedAt: new Date().toISOString(), framesWritten, ...meta },
        chain,
      );
      last.summary = summary;
      checkpointsSaved++;
      ctx.stats.checkpoints.saved++;
      ctx.stats.checkpoints.lastBytes = data.length;
    };
    // Write-behind of depth one: a boundary's chunk upload, rows, checkpoint encoding and upload and the
    // progress report run while the engine computes the next chunk; the next boundary waits for them
    // first, so they stay in order and a failure surfaces at most one chunk later. Only the capture of
    // the engine state happens at the boundary (it changes as soon as the next frame runs; ~3 ms per
    // 32 frames of two objects): laying it out and deflating it, nearly all of the cost, stays off the
    // engine's path.
    let durable: Promise<void> = Promise.resolve();
    const settle = async (): Promise<void> => {
      const d = durable;
      durable = Promise.resolve();
      await d;
    };
    const report = async (chunk: WrittenChunk | null): Promise<void> => {
      if (chunk) {
        chunks++;
        await hooks.onChunk({ framesDone: writer.framesWritten, framesTotal, chunk });
      }
    };

    for (let pi = firstPass; pi < passes.length; pi++) {
      const pass = passes[pi]!;
      const from = pi === firstPass ? firstFrame : pass.start;
      const step = pass.reverse ? -1 : 1;
      const it = session.propagate({
        startFrame: from,
        direction: pass.reverse ? 'backward' : 'forward',
        maxFrames: Math.abs(pass.end - from),
        end: pass.end,
        chunkFrames: plan.options.chunkFrames ?? ctx.config.CHUNK_FRAMES,
      });
      spans.asking(pi);
      let t0 = performance.now();
      for await (const { result, boundary } of it) {
        spans.frame(result.frame);
        const waited = performance.now() - t0;
        engineMs += waited;
        ctx.metrics.segmentFrame.observe(waited / 1000);
        ctx.stats.frame();
        ctx.metrics.framesProcessed.inc();
        if (ctx.cancels.has(jobId)) {
          await settle();
          writer.discard();
          return { status: 'cancelled', framesDone: writer.framesWritten, framesTotal };
        }
        if (ctx.isStopping()) {
          await settle();
          writer.discard();
          throw new ReleasedForShutdown();
        }
        const f = result.frame;
        await report(await writer.add(result));
        // Close the chunk as soon as its last frame is done, then checkpoint: the checkpoint's cursor is
        // exactly the frames written so far. The engine waits at a boundary until answered.
        if (boundary) {
          const passEnd = f === pass.end;
          const next = passEnd
            ? pi + 1 < passes.length
              ? { pass: pi + 1, nextFrame: passes[pi + 1]!.start }
              : null
            : { pass: pi, nextFrame: f + step };
          // A backward pass cannot restart at frame 0 (the engine yields nothing backward from 0).
          const resumable = next && !(passes[next.pass]!.reverse && next.nextFrame === 0 && next.pass === pi);
          const captured: CapturedCheckpoint | null = await it.boundary(
            writer.buffered > 0 && next !== null && resumable === true,
          );
          await settle();
          const framesAfter = writer.framesWritten + writer.buffered;
          const flushing = writer.flush(); // takes the buffered frames now; uploads in the background
          durable = (async () => {
            const chunk = await flushing;
            // An incremental capture is saved whenever taken: the next one leaves out what it holds.
            if (next && captured)
              await saveCheckpoint(
                { kind: 'progress', ...next },
                framesAfter,
                await ctx.checkpointEncoder.encode(captured),
              );
            await report(chunk);
          })();
          durable.catch(() => undefined); // awaited (and rethrown) by the next settle()
          spans.end(f);
        }
        spans.asking(pi);
        t0 = performance.now();
      }
      spans.end(); // the span opened for a frame the pass did not have
    }
    await settle();
    await report(await writer.flush());
    // The end state as one whole segment: the next round starts from it alone, so once this round is
    // SUCCEEDED the chain it replaces can be pruned (CheckpointStore.prune).
    const whole = await ctx.checkpointEncoder.encode(await session.capture({ whole: true }));
    chain.length = 0;
    await saveCheckpoint({ kind: 'end' }, writer.framesWritten, whole);
    await checkpoints.delete(tenantId, jobId, plan.round, 'progress');
    return {
      status: 'succeeded',
      framesDone: writer.framesWritten,
      framesTotal,
      chunks,
      engineMs,
      passes,
      checkpoint: last.summary!,
      checkpointsSaved,
    };
  } finally {
    spans.end();
    await session?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    cached.release();
  }
}

function countRestore(ctx: WorkerContext, source: 'redis' | 's3'): void {
  if (source === 'redis') ctx.stats.checkpoints.restoredFromRedis++;
  else ctx.stats.checkpoints.restoredFromS3++;
}
