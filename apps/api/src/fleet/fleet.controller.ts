import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Operator } from '../security/operator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { FleetService } from './fleet.service';

const FLEET_PUSH_MS = 2000;

const AdminJobsQuerySchema = z.strictObject({
  tenant: z.uuid().optional(),
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']).optional(),
  batch: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Operators: the worker fleet, queue depths, throughput, failed jobs across tenants. Operator keys only. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
@Operator()
export class FleetController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get('fleet')
  @ApiOperation({ summary: 'Workers (state BUSY / IDLE / STALE / STOPPED), queue counts by state, jobs/min and frames/s per minute of the last hour, recent failed jobs' })
  snapshot() {
    return this.fleet.snapshot();
  }

  @Get('fleet/events')
  @ApiOperation({ summary: 'Server-sent events: a `fleet` snapshot every 2 s until the client disconnects' })
  events(@Req() req: Request, @Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    req.on('close', () => {
      closed = true;
      if (timer) clearTimeout(timer);
    });
    const tick = async (): Promise<void> => {
      if (closed) return;
      try {
        res.write(`event: fleet\ndata: ${JSON.stringify(await this.fleet.snapshot())}\n\n`);
      } catch (err) {
        res.write(`event: error\ndata: ${JSON.stringify({ code: 'FLEET_UNAVAILABLE', message: (err as Error).message })}\n\n`);
      }
      if (!closed) timer = setTimeout(() => void tick(), FLEET_PUSH_MS);
    };
    void tick();
  }

  @Get('jobs')
  @ApiOperation({ summary: 'Jobs of every tenant, newest first, filtered by tenant, status and batch' })
  @ApiQuery({ name: 'tenant', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'batch', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async jobs(@Query() query: unknown) {
    const q = parseOrThrow(AdminJobsQuerySchema, query);
    const rows = await this.fleet.jobs({ tenantId: q.tenant, status: q.status, batchId: q.batch, limit: q.limit });
    return {
      items: rows.map((j) => ({
        id: j.id, tenantId: j.tenantId, tenantName: j.tenant.name, batchId: j.batchId, status: j.status, progress: j.progress,
        framesDone: j.framesDone, framesTotal: j.framesTotal, currentRound: j.currentRound, errorCode: j.errorCode,
        createdAt: j.createdAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null,
      })),
    };
  }

  @Get('tenants')
  @ApiOperation({ summary: 'Tenants (id, name) for the job filters' })
  tenants() {
    return this.fleet.tenants();
  }

  @Post('jobs/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-queue a FAILED job\'s current round. 404 JOB_NOT_FOUND, 409 JOB_NOT_FAILED.' })
  retry(@Param('id') id: string) {
    return this.fleet.retry(id);
  }
}
