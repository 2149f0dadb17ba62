import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import { IngestPayload, parsePayload, QUEUES } from '@masklet/queue';
import { videoKey } from '@masklet/masklets';
import { probeVideo, scanFrameIndex } from '@masklet/video';
import type { WorkerContext } from '../runtime/context';
import { classifyError } from '../runtime/errors';
import { inSpan } from '@masklet/telemetry';
import { workerTracer } from '../runtime/instrumented';

/** S3 key of a video's frame index (JSON beside the video). */
export function frameIndexKey(tenantId: string, videoId: string): string {
  return `${videoKey(tenantId, videoId)}.index.json`;
}

export interface FrameIndexDocument {
  version: 1;
  videoId: string;
  count: number;
  /** Presentation time of each frame in seconds, or null when timestamps are unusable for seeking. */
  times: number[] | null;
  keyframes: number[];
  fps: number;
  width: number;
  height: number;
  durationSec: number;
  codec: string;
}

/**
 * ingest: probe the stored video, build its frame index (packet timestamps and keyframes, no
 * decoding), store it as JSON beside the video, and fill the Video row (fps, size, frameCount,
 * duration, codec; status READY). A file that is not a video marks the row FAILED without retries.
 */
export function ingestProcessor(ctx: WorkerContext) {
  return async (bull: BullJob): Promise<{ frames: number; indexKey: string }> => {
    let payload: IngestPayload;
    try {
      payload = parsePayload(IngestPayload, bull.data, QUEUES.ingest);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    const log = ctx.log.child({ queue: QUEUES.ingest, videoId: payload.videoId });
    const video = await ctx.prisma.video.findUnique({ where: { id: payload.videoId } });
    if (!video || video.tenantId !== payload.tenantId) {
      const message = `video ${payload.videoId} of tenant ${payload.tenantId} does not exist`;
      // A missing row may not be committed yet: retry until the last attempt.
      if (video || bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1)) throw new UnrecoverableError(message);
      throw new Error(message);
    }
    let cached: { path: string; release(): void } | null = null;
    try {
      cached = await ctx.videos.acquire(video);
      const path = cached.path;
      // Probing and indexing read the whole stream: ingest's decode step.
      const { probe, index } = await inSpan(
        workerTracer(),
        'decode',
        { attributes: { 'masklet.video_id': video.id } },
        async () => {
          const probe = await probeVideo(path);
          return { probe, index: await scanFrameIndex(path, probe.timeBase, probe.startTimeSec) };
        },
      );
      const doc: FrameIndexDocument = {
        version: 1,
        videoId: video.id,
        count: index.count,
        times: index.times ? Array.from(index.times) : null,
        keyframes: Array.from(index.keyframes),
        fps: probe.fps,
        width: probe.width,
        height: probe.height,
        durationSec: probe.durationSec,
        codec: probe.codec,
      };
      const key = frameIndexKey(video.tenantId, video.id);
      await ctx.store.putBuffer(key, Buffer.from(JSON.stringify(doc)), 'application/json');
      await ctx.prisma.video.update({
        where: { id: video.id },
        data: {
          status: 'READY',
          error: null,
          fps: probe.fps,
          width: probe.width,
          height: probe.height,
          frameCount: index.count,
          durationSec: probe.durationSec,
          codec: probe.codec,
        },
      });
      log.info({ frames: index.count, keyframes: doc.keyframes.length }, 'video indexed');
      return { frames: index.count, indexKey: key };
    } catch (err) {
      const c = classifyError(err, 'setup');
      const last = !c.retryable || bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1);
      log.error({ err, code: c.code, last }, 'ingest failed');
      if (last) {
        await ctx.prisma.video.update({
          where: { id: video.id },
          data: { status: 'FAILED', error: `${c.code}: ${c.message}`.slice(0, 2000) },
        });
        throw new UnrecoverableError(`${c.code}: ${c.message}`);
      }
      throw err;
    } finally {
      cached?.release();
    }
  };
}
