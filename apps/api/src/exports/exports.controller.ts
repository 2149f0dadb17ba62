import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ExportDownloadQuerySchema,
  ExportListQuerySchema,
  ExportRequestSchema,
  type ExportList,
  type ExportView,
} from '@masklet/contract';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { JobsRepository } from '../jobs/jobs.repository';
import type { Job } from '@masklet/db';
import { ExportsService } from './exports.service';

@Controller('v1/jobs')
export class ExportsController {
  constructor(
    @Inject(ExportsService) private readonly exports: ExportsService,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
  ) {}

  @Get(':id/exports')
  @Scopes('read')
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ExportList> {
    const q = parseOrThrow(ExportListQuerySchema, query);
    return this.exports.list(await this.job(auth, id), q.round);
  }

  @Post(':id/exports')
  @Scopes('submit')
  async request(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ExportView> {
    const job = await this.job(auth, id);
    const { view, queued } = await this.exports.request(job, parseOrThrow(ExportRequestSchema, body ?? {}));
    res.status(queued ? 202 : 200);
    return view;
  }

  @Get(':id/exports/:exportId')
  @Scopes('read')
  async get(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('exportId') exportId: string,
  ): Promise<ExportView> {
    return this.exports.get(await this.job(auth, id), exportId);
  }

  @Get(':id/exports/:exportId/download')
  @Scopes('read')
  async download(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Param('exportId') exportId: string,
    @Query() query: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const q = parseOrThrow(ExportDownloadQuerySchema, query);
    await this.exports.download(await this.job(auth, id), exportId, q.redirect, req, res);
  }

  private async job(auth: AuthContext, id: string): Promise<Job> {
    const job = await this.jobs.findForTenant(auth.tenantId, id);
    if (!job) throw notFound('job', id);
    return job;
  }
}
