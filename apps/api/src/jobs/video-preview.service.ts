import { Inject, Injectable } from '@nestjs/common';
import type { Video } from '@masklet/db';
import { ApiError } from '../common/api-error';
import { validationError } from '../common/zod-validation.pipe';
import { checkPromptAgainstVideo } from './prompt-checks';
import { PreviewDispatch } from './preview-dispatch';
import type { VideoPreviewBody, VideoPreviewResult } from '@masklet/contract';

/**
 * The instant preview before a job exists: the mask a prompt gives on one frame of a video. A worker
 * holding the default model answers it (PreviewDispatch) on a session of the video it keeps warm,
 * prompting an object that the session holds no other prompt for (clicks so far plus the box) and
 * dropping it again, so the answer is exactly what round 1 of a job submitted with the same prompt
 * computes on that frame: a first prompt is decoded without memory, from the frame alone.
 */
@Injectable()
export class VideoPreviewService {
  constructor(@Inject(PreviewDispatch) private readonly dispatch: PreviewDispatch) {}

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
    const mask = await this.dispatch.ask(this.dispatch.defaultModel, {
      tenantId: video.tenantId,
      video: { id: video.id, s3Key: video.s3Key, sourceUri: video.sourceUri },
      job: null,
      frame: body.frame,
      objectId,
      points: body.points ?? [],
      box: body.box ?? null,
    });
    return {
      frame: body.frame,
      objectId,
      round: null,
      rle: mask.rle,
      area: mask.area,
      bbox: mask.bbox,
      score: mask.score,
      ms: Math.round(performance.now() - t0),
    };
  }
}
