import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import type { TracksView } from './tracks.view';
import { JobBodySchema, JobListQuerySchema, MaskletQuerySchema } from './job-body.schema';
import { JobEventsService } from './job-events.service';
import { JobsService } from './jobs.service';
import { MaskletsService } from './masklets.service';
import type { JobView } from './job.view';

const jobBodyJsonSchema = z.toJSONSchema(JobBodySchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('v1/jobs')
export class JobsController {
  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(JobEventsService) private readonly events: JobEventsService,
    @Inject(MaskletsService) private readonly masklets: MaskletsService,
  ) {}

  @Post()
  @Scopes('submit')
  @ApiOperation({
    summary: 'Submit a segmentation job (201; 200 when an Idempotency-Key replay returns the existing job)',
    description:
      'Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD / DUPLICATE_OBJECT_ID / OBJECT_WITHOUT_PROMPTS / EMPTY_PROMPT / INVALID_IDEMPOTENCY_KEY, 404 VIDEO_NOT_FOUND, 409 VIDEO_NOT_READY / IDEMPOTENCY_KEY_REUSED, 422 FRAME_OUT_OF_RANGE / POINT_OUTSIDE_FRAME / BOX_OUTSIDE_FRAME / MASK_SIZE_MISMATCH / INVALID_MASK / START_FRAME_OUT_OF_RANGE / WEBHOOK_URL_CREDENTIALS, 503 QUEUE_UNAVAILABLE.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiBody({ schema: jobBodyJsonSchema as never })
  async create(
    @Auth() auth: AuthContext,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobView> {
    const { job, created } = await this.jobs.create(auth, body, key);
    res.status(created ? 201 : 200);
    return job;
  }

  @Get()
  @Scopes('read')
  @ApiOperation({ summary: 'List jobs, newest first (keyset pagination: pass nextCursor as cursor)' })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'batchId', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<{ items: JobView[]; nextCursor: string | null }> {
    const q = parseOrThrow(JobListQuerySchema, query);
    return this.jobs.list(auth.tenantId, q);
  }

  @Get(':id')
  @Scopes('read')
  @ApiOperation({ summary: 'Status, progress and per-object stats of a job. 404 JOB_NOT_FOUND.' })
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<JobView> {
    return this.jobs.get(auth.tenantId, id);
  }

  @Get(':id/tracks')
  @Scopes('read')
  @ApiOperation({ summary: 'Swim lanes: per object the [start, end) runs of frames where it is present, and its prompt frames. 404 JOB_NOT_FOUND.' })
  tracks(@Auth() auth: AuthContext, @Param('id') id: string): Promise<TracksView> {
    return this.jobs.tracks(auth.tenantId, id);
  }

  @Get(':id/events')
  @Scopes('read')
  @ApiOperation({ summary: 'Server-sent events: `progress` and `status` until the job is terminal' })
  async eventStream(@Auth() auth: AuthContext, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const job = await this.jobs.mustFind(auth.tenantId, id);
    this.events.stream(job.id, req, res);
  }

  @Post(':id/cancel')
  @Scopes('submit')
  @ApiOperation({ summary: 'Cancel: 200 when a queued job is cancelled at once, 202 when a running job is signalled. 409 JOB_ALREADY_FINISHED.' })
  async cancel(@Auth() auth: AuthContext, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<JobView> {
    const { job, immediate } = await this.jobs.cancel(auth.tenantId, id);
    res.status(immediate ? 200 : 202);
    return job;
  }

  @Get(':id/masklets')
  @Scopes('read')
  @ApiOperation({
    summary: 'Masks: format=rle streams JSON over [from, to); format=png returns one frame (to omitted or from+1) as a DAVIS-palette PNG',
    description: 'Errors: 400 INVALID_RANGE / PNG_SINGLE_FRAME, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND / FRAME_NOT_AVAILABLE, 422 OBJECT_ID_TOO_LARGE_FOR_PNG.',
  })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['rle', 'png'] })
  @ApiQuery({ name: 'round', required: false })
  @ApiQuery({ name: 'object', required: false, description: 'object id or comma-separated ids' })
  async masks(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const job = await this.jobs.mustFind(auth.tenantId, id);
    const q = parseOrThrow(MaskletQuerySchema, query);
    await this.masklets.send(job, q, res);
  }
}
