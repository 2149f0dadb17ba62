import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { VideosRepository } from '../videos/videos.repository';
import { VideoPreviewBodySchema } from './video-preview.schema';
import { VideoPreviewService, type VideoPreviewResult } from './video-preview.service';

const bodyJsonSchema = z.toJSONSchema(VideoPreviewBodySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('videos')
@ApiBearerAuth()
@Controller('v1/videos')
export class VideoPreviewController {
  constructor(
    @Inject(VideosRepository) private readonly videos: VideosRepository,
    @Inject(VideoPreviewService) private readonly previews: VideoPreviewService,
  ) {}

  @Post(':id/preview')
  @HttpCode(200)
  @Scopes('submit', 'correct')
  @ApiOperation({
    summary: 'The mask a prompt gives on one frame before any job exists (nothing stored): what round 1 of a job with the same prompt computes there',
    description:
      'Body {frame, objectId, points?: [{x, y, label}], box?: {x0, y0, x1, y1}} (every click so far on that frame for that object). JSON {frame, objectId, round: null, rle: {size, counts}, area, bbox, score, ms}. ' +
      'Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD / EMPTY_PROMPT, 404 VIDEO_NOT_FOUND, 409 VIDEO_NOT_READY, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / PREVIEW_REJECTED.',
  })
  @ApiBody({ schema: bodyJsonSchema as never })
  async preview(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown): Promise<VideoPreviewResult> {
    const video = await this.videos.findForTenant(auth.tenantId, id);
    if (!video) throw notFound('video', id);
    return this.previews.preview(video, parseOrThrow(VideoPreviewBodySchema, body));
  }
}
