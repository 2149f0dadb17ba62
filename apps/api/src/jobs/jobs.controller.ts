import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { JobListQuerySchema, MaskletQuerySchema, type JobList, type JobView, type TracksView } from '@masklet/contract';
import { JobEventsService } from './job-events.service';
import { JobsService } from './jobs.service';
import { MaskletsService } from './masklets.service';

@Controller('v1/jobs')
export class JobsController {
  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(JobEventsService) private readonly events: JobEventsService,
    @Inject(MaskletsService) private readonly masklets: MaskletsService,
  ) {}

  @Post()
  @Scopes('submit')
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
  list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<JobList> {
    const q = parseOrThrow(JobListQuerySchema, query);
    return this.jobs.list(auth.tenantId, q);
  }

  @Get(':id')
  @Scopes('read')
  get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<JobView> {
    return this.jobs.get(auth.tenantId, id);
  }

  @Get(':id/tracks')
  @Scopes('read')
  tracks(@Auth() auth: AuthContext, @Param('id') id: string): Promise<TracksView> {
    return this.jobs.tracks(auth.tenantId, id);
  }

  @Get(':id/events')
  @Scopes('read')
  async eventStream(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const job = await this.jobs.mustFind(auth.tenantId, id);
    this.events.stream(job.id, req, res);
  }

  @Post(':id/cancel')
  @Scopes('submit')
  async cancel(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobView> {
    const { job, immediate } = await this.jobs.cancel(auth.tenantId, id);
    res.status(immediate ? 200 : 202);
    return job;
  }

  @Get(':id/masklets')
  @Scopes('read')
  async masks(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() query: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const job = await this.jobs.mustFind(auth.tenantId, id);
    const q = parseOrThrow(MaskletQuerySchema, query);
    await this.masklets.send(job, q, res);
  }
}
