import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { VideosRepository } from '../videos/videos.repository';
import { VideoPreviewBodySchema, type VideoPreviewResult } from '@masklet/contract';
import { VideoPreviewService } from './video-preview.service';

@Controller('v1/videos')
export class VideoPreviewController {
  constructor(
    @Inject(VideosRepository) private readonly videos: VideosRepository,
    @Inject(VideoPreviewService) private readonly previews: VideoPreviewService,
  ) {}

  @Post(':id/preview')
  @HttpCode(200)
  @Scopes('submit', 'correct')
  async preview(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<VideoPreviewResult> {
    const video = await this.videos.findForTenant(auth.tenantId, id);
    if (!video) throw notFound('video', id);
    return this.previews.preview(video, parseOrThrow(VideoPreviewBodySchema, body));
  }
}
