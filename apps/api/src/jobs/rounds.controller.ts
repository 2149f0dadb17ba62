import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { AnnotationSessionsService } from '../analytics/annotation-sessions.service';
import { JobsService } from './jobs.service';
import { PreviewService, type PreviewResult } from './preview.service';
import { PreviewBodySchema, PreviewQuerySchema, RoundBodySchema } from './round-body.schema';
import { RoundsService, type RoundView } from './rounds.service';

const roundBodyJsonSchema = z.toJSONSchema(RoundBodySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
const previewBodyJsonSchema = z.toJSONSchema(PreviewBodySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('v1/jobs')
export class RoundsController {
  constructor(
    @Inject(RoundsService) private readonly rounds: RoundsService,
    @Inject(PreviewService) private readonly previews: PreviewService,
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(AnnotationSessionsService) private readonly sessions: AnnotationSessionsService,
  ) {}

  @Post(':id/rounds')
  @Scopes('correct')
  @ApiOperation({
    summary: 'Correction round (202): corrections / addObjects / removeObjects on the latest SUCCEEDED round; only the frames the corrections reach are recomputed',
    description:
      'Creates Round N+1 (QUEUED) with its prompts and queues it. One round at a time: while the current round is QUEUED or RUNNING the answer is 409 ROUND_IN_PROGRESS (nothing is queued; retry once it finished or cancel it). ' +
      'Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD / EMPTY_ROUND / EMPTY_PROMPT / DUPLICATE_OBJECT_ID / OBJECT_WITHOUT_PROMPTS, 404 JOB_NOT_FOUND, 409 ROUND_IN_PROGRESS / JOB_NOT_CORRECTABLE, ' +
      '422 UNKNOWN_OBJECT / OBJECT_REMOVED / DUPLICATE_OBJECT_ID / FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / MASK_SIZE_MISMATCH / INVALID_MASK, 503 QUEUE_UNAVAILABLE.',
  })
  @ApiBody({ schema: roundBodyJsonSchema as never })
  async create(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<RoundView> {
    const round = await this.rounds.create(auth, id, body);
    res.status(202);
    return round;
  }

  @Get(':id/rounds')
  @Scopes('read')
  @ApiOperation({ summary: 'Round history: who (apiKeyId), when, changed frames/objects, removed objects, framesRecomputed, meanIouDelta, worker stats (attempts with resume points, checkpoint sizes per object). 404 JOB_NOT_FOUND.' })
  list(@Auth() auth: AuthContext, @Param('id') id: string): Promise<{ items: RoundView[] }> {
    return this.rounds.list(auth.tenantId, id);
  }

  @Post(':id/preview')
  @Scopes('correct')
  @ApiOperation({
    summary: 'The mask clicks would give on one frame (no propagation, nothing stored): from the latest SUCCEEDED round state, clicks appended to the object\'s clicks on that frame',
    description: 'JSON {frame, objectId, round, rle: {size, counts}, area, bbox, score, ms} or, with format=png, a DAVIS-palette PNG. Errors: 400 VALIDATION_FAILED, 404 JOB_NOT_FOUND, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / UNKNOWN_OBJECT / PREVIEW_REJECTED.',
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'png'] })
  @ApiBody({ schema: previewBodyJsonSchema as never })
  async preview(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const job = await this.jobs.mustFind(auth.tenantId, id);
    const b = parseOrThrow(PreviewBodySchema, body);
    const q = parseOrThrow(PreviewQuerySchema, query);
    const result: PreviewResult = await this.previews.preview(job, b);
    await this.sessions.recordPreview(auth, job.id);
    if (q.format === 'png') {
      res.status(200).type('image/png').end(this.previews.png(result));
      return;
    }
    res.status(200).json(result);
  }
}
