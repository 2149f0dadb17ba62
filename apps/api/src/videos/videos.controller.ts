import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiError } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { VideoListQuerySchema } from './video-list.schema';
import { VideosService } from './videos.service';
import type { VideoView } from './video.view';

const FrameParam = z.coerce.number().int().min(0);
const FrameQuery = z.strictObject({ maxWidth: z.coerce.number().int().min(16).max(4096).default(960) });

export const RegisterVideoBody = z.strictObject({ uri: z.string().min(1).describe('s3://bucket/key in an allowed bucket') });

@ApiTags('videos')
@ApiBearerAuth()
@Controller('v1/videos')
export class VideosController {
  constructor(@Inject(VideosService) private readonly videos: VideosService) {}

  @Post()
  @HttpCode(201)
  @Scopes('submit')
  @ApiOperation({
    summary: 'Upload a video (multipart field "file") or register an s3:// object (JSON {"uri"})',
    description:
      'Errors: 413 UPLOAD_TOO_LARGE, 415 NOT_A_VIDEO / UNSUPPORTED_MEDIA_TYPE, 422 NO_VIDEO_STREAM / NO_FRAMES / VIDEO_TOO_LONG / VIDEO_TOO_MANY_FRAMES / SOURCE_OBJECT_NOT_FOUND, 400 MISSING_FILE / INVALID_S3_URI / INVALID_S3_KEY, 403 BUCKET_NOT_ALLOWED / S3_KEY_NOT_ALLOWED.',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        { type: 'object', properties: { uri: { type: 'string', example: 's3://bucket/key.mp4' } }, required: ['uri'] },
      ],
    },
  })
  async create(@Auth() auth: AuthContext, @Req() req: Request): Promise<VideoView> {
    if (req.is('multipart/form-data')) return this.videos.upload(auth.tenantId, req);
    if (req.is('application/json')) {
      const body = parseOrThrow(RegisterVideoBody, req.body);
      return this.videos.register(auth.tenantId, body.uri);
    }
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the video as multipart/form-data (field "file") or JSON {"uri": "s3://..."}');
  }

  @Get()
  @Scopes('read')
  @ApiOperation({ summary: "The tenant's videos, newest first (keyset pagination: pass nextCursor as cursor). 400 VALIDATION_FAILED / INVALID_CURSOR." })
  @ApiQuery({ name: 'status', required: false, enum: ['PENDING', 'READY', 'FAILED'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<{ items: VideoView[]; nextCursor: string | null }> {
    return this.videos.list(auth.tenantId, parseOrThrow(VideoListQuerySchema, query));
  }

  @Get(':id/frames/:frame')
  @Scopes('read')
  @ApiOperation({ summary: 'One frame as image/jpeg (width <= maxWidth, default 960). 404 VIDEO_NOT_FOUND / FRAME_NOT_AVAILABLE, 409 VIDEO_NOT_READY.' })
  async frame(@Auth() auth: AuthContext, @Param('id') id: string, @Param('frame') frame: string, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const n = parseOrThrow(FrameParam, frame, 'frame');
    const q = parseOrThrow(FrameQuery, query);
    const jpeg = await this.videos.frame(auth.tenantId, id, n, q.maxWidth);
    res.status(200).type('image/jpeg').setHeader('Cache-Control', 'private, max-age=3600');
    res.end(jpeg);
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ summary: 'A video and its probed facts. 404 VIDEO_NOT_FOUND.' })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<VideoView> {
    return this.videos.get(auth.tenantId, id);
  }
}
