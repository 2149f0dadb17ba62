import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EXPORT_FORMAT_NAMES, ExportDownloadQuerySchema, ExportListQuerySchema, ExportRequestSchema, type ExportList, type ExportView } from '@masklet/contract';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { notFound } from '../common/api-error';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { JobsRepository } from '../jobs/jobs.repository';
import type { Job } from '@masklet/db';
import { ExportsService } from './exports.service';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('v1/jobs')
export class ExportsController {
  constructor(
    @Inject(ExportsService) private readonly exports: ExportsService,
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
  ) {}

  @Get(':id/exports')
  @Scopes('read')
  @ApiOperation({ summary: `A job's exports by round (${EXPORT_FORMAT_NAMES.join(', ')}): status, bytes, sha256, download path. Errors: 404 JOB_NOT_FOUND / ROUND_NOT_FOUND.` })
  @ApiQuery({ name: 'round', required: false })
  async list(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ExportList> {
    const q = parseOrThrow(ExportListQuerySchema, query);
    return this.exports.list(await this.job(auth, id), q.round);
  }

  @Post(':id/exports')
  @Scopes('submit')
  @ApiOperation({
    summary: 'Export a SUCCEEDED round in a format: 202 when queued (new, or a failed one retried), 200 when it already exists and is done',
    description: `Errors: 400 VALIDATION_FAILED / UNKNOWN_FIELD, 404 JOB_NOT_FOUND / ROUND_NOT_FOUND, 409 ROUND_NOT_READY / JOB_NOT_SUCCEEDED, 422 UNKNOWN_FORMAT (known: ${EXPORT_FORMAT_NAMES.join(', ')}), 503 QUEUE_UNAVAILABLE.`,
  })
  async request(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<ExportView> {
    const job = await this.job(auth, id);
    const { view, queued } = await this.exports.request(job, parseOrThrow(ExportRequestSchema, body ?? {}));
    res.status(queued ? 202 : 200);
    return view;
  }

  @Get(':id/exports/:exportId')
  @Scopes('read')
  @ApiOperation({ summary: 'One export. Errors: 404 JOB_NOT_FOUND / EXPORT_NOT_FOUND.' })
  async get(@Auth() auth: AuthContext, @Param('id') id: string, @Param('exportId') exportId: string): Promise<ExportView> {
    return this.exports.get(await this.job(auth, id), exportId);
  }

  @Get(':id/exports/:exportId/download')
  @Scopes('read')
  @ApiOperation({
    summary: 'The export file, streamed (200, or 206 for a Range; ETag and X-Masklet-Sha256 carry its sha256); ?redirect=true answers 302 to a presigned S3 URL valid 15 minutes',
    description: 'Errors: 404 JOB_NOT_FOUND / EXPORT_NOT_FOUND, 409 EXPORT_NOT_READY / EXPORT_FAILED, 416 for a range past the end.',
  })
  @ApiQuery({ name: 'redirect', required: false, enum: ['true', 'false'] })
  async download(@Auth() auth: AuthContext, @Param('id') id: string, @Param('exportId') exportId: string, @Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const q = parseOrThrow(ExportDownloadQuerySchema, query);
    await this.exports.download(await this.job(auth, id), exportId, q.redirect, req, res);
  }

  private async job(auth: AuthContext, id: string): Promise<Job> {
    const job = await this.jobs.findForTenant(auth.tenantId, id);
    if (!job) throw notFound('job', id);
    return job;
  }
}
