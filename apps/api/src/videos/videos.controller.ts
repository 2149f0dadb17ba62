import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiError } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { VideoListQuerySchema } from './video-list.schema';
import { VideosService } from './videos.service';
import { RegisterVideoBodySchema, type VideoList, type VideoView } from '@masklet/contract';

const FrameParam = z.coerce.number().int().min(0);
export const FrameQuery = z.strictObject({ maxWidth: z.coerce.number().int().min(16).max(4096).default(960) });

@Controller('v1/videos')
export class VideosController {
  constructor(@Inject(VideosService) private readonly videos: VideosService) {}

  @Post()
  @HttpCode(201)
  @Scopes('submit')
  async create(@Auth() auth: AuthContext, @Req() req: Request): Promise<VideoView> {
    if (req.is('multipart/form-data')) return this.videos.upload(auth.tenantId, req);
    if (req.is('application/json')) {
      const body = parseOrThrow(RegisterVideoBodySchema, req.body);
      return this.videos.register(auth.tenantId, body.uri);
    }
    throw new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'send the video as multipart/form-data (field "file") or JSON {"uri": "s3://..."}',
    );
  }

  @Get()
  @Scopes('read')
  list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<VideoList> {
    return this.videos.list(auth.tenantId, parseOrThrow(VideoListQuerySchema, query));
  }

  @Get(':id/frames/:frame')
  @Scopes('read')
  async frame(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('frame') frame: string,
    @Query() query: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const n = parseOrThrow(FrameParam, frame, 'frame');
    const q = parseOrThrow(FrameQuery, query);
    const jpeg = await this.videos.frame(auth.tenantId, id, n, q.maxWidth);
    res.status(200).type('image/jpeg').setHeader('Cache-Control', 'private, max-age=3600');
    res.end(jpeg);
  }

  @Get(':id')
  @Scopes('read')
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<VideoView> {
    return this.videos.get(auth.tenantId, id);
  }
}
