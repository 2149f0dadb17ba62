import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { AnnotationSessionsService } from '../analytics/annotation-sessions.service';
import { JobsService } from './jobs.service';
import { PreviewService } from './preview.service';
import {
  PreviewBodySchema,
  PreviewQuerySchema,
  type PreviewResult,
  type RoundList,
  type RoundView,
} from '@masklet/contract';
import { RoundsService } from './rounds.service';

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
  async create(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RoundView> {
    const round = await this.rounds.create(auth, id, body);
    res.status(202);
    return round;
  }

  @Get(':id/rounds')
  @Scopes('read')
  list(@Auth() auth: AuthContext, @Param('id') id: string): Promise<RoundList> {
    return this.rounds.list(auth.tenantId, id);
  }

  @Post(':id/preview')
  @Scopes('correct')
  async preview(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Res() res: Response,
  ): Promise<void> {
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
