import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MaskletConfig } from '@masklet/config';
import type { Video } from '@masklet/db';
import { EngineInputError, VideoSession, type FrameResult } from '@masklet/engine';
import { rleToString } from '@masklet/masks';
import type { ObjectStore } from '@masklet/storage';
import { ApiError } from '../common/api-error';
import { validationError } from '../common/zod-validation.pipe';
import { CONFIG, LOGGER, OBJECT_STORE } from '../core/tokens';
import { checkPromptAgainstVideo } from './prompt-checks';
import { PreviewService } from './preview.service';
import { PreviewSessionCache } from './preview-session-cache';
import type { VideoPreviewBody, VideoPreviewResult } from '@masklet/contract';

/**
 * The instant preview before a job exists: the mask a prompt gives on one frame of a video. One engine
 * session per video in a small LRU (PREVIEW_SESSIONS; the image features of frames already looked at
 * stay cached), on the API process's one model (PreviewService's). Each preview prompts an object that
 * the session holds no other prompt for (clicks so far plus the box, clearOld) and drops the object
 * again, so the answer is exactly what round 1 of a job submitted with the same prompt computes on
 * that frame: a first prompt is decoded without memory, from the frame alone.
 */
@Injectable()
export class VideoPreviewService implements OnModuleDestroy {
  private readonly sessions: PreviewSessionCache<null>;

  constructor(
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(OBJECT_STORE) store: ObjectStore,
    @Inject(PreviewService) private readonly models: PreviewService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.sessions = new PreviewSessionCache(store, () => config.PREVIEW_SESSIONS, 'masklet-video-preview-');
  }

  async preview(video: Video, body: VideoPreviewBody): Promise<VideoPreviewResult> {
    const t0 = performance.now();
    if (video.status !== 'READY' || !video.frameCount)
      throw new ApiError(409, 'VIDEO_NOT_READY', `video ${video.id} is ${video.status}`);
    const { objectId, ...prompt } = body;
    const issues = checkPromptAgainstVideo(prompt, video, '');
    if (issues.length) {
      const err = validationError(issues.map((i) => ({ ...i, path: i.path.replace(/^\./, '') })));
      throw new ApiError(422, err.code, err.message, err.details);
    }
    const entry = await this.sessions.get(video.id, null, video, async (source) => {
      this.log.info({ videoId: video.id }, 'video preview session opened');
      return new VideoSession(await this.models.loadModel(), source);
    });
    const result = await this.sessions.run(entry, (session) => this.prompt(session, body));
    const mask = result.objects.find((o) => o.objectId === objectId)!;
    return {
      frame: body.frame,
      objectId,
      round: null,
      rle: { size: mask.rle.size, counts: rleToString(mask.rle.counts) },
      area: mask.area,
      bbox: mask.bbox,
      score: Number(mask.objectScore.toFixed(4)),
      ms: Math.round(performance.now() - t0),
    };
  }

  private async prompt(session: VideoSession, body: VideoPreviewBody): Promise<FrameResult> {
    // A leftover object (a request that failed half-way) would make this prompt a refinement.
    if (session.tracks.has(body.objectId)) await session.removeObject(body.objectId);
    try {
      return await session.addPoints(body.frame, body.objectId, body.points ?? [], {
        clearOld: true,
        ...(body.box ? { box: body.box } : {}),
      });
    } catch (err) {
      if (err instanceof EngineInputError) throw new ApiError(422, 'PREVIEW_REJECTED', `${err.code}: ${err.message}`);
      throw err;
    } finally {
      if (session.tracks.has(body.objectId)) await session.removeObject(body.objectId);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.sessions.closeAll();
  }
}
