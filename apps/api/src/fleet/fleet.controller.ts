import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  AdminJobsQuerySchema,
  type AdminJobList,
  type FleetSnapshot,
  type RetriedJob,
  type TenantSummary,
} from '@masklet/contract';
import { Operator } from '../security/operator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { FleetService } from './fleet.service';

const FLEET_PUSH_MS = 2000;

/** Operators: the worker fleet, queue depths, throughput, failed jobs across tenants. Operator keys only. */
@Controller('v1/admin')
@Operator()
export class FleetController {
  constructor(@Inject(FleetService) private readonly fleet: FleetService) {}

  @Get('fleet')
  snapshot(): Promise<FleetSnapshot> {
    return this.fleet.snapshot();
  }

  @Get('fleet/events')
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
        res.write(
          `event: error\ndata: ${JSON.stringify({ code: 'FLEET_UNAVAILABLE', message: (err as Error).message })}\n\n`,
        );
      }
      if (!closed) timer = setTimeout(() => void tick(), FLEET_PUSH_MS);
    };
    void tick();
  }

  @Get('jobs')
  jobs(@Query() query: unknown): Promise<AdminJobList> {
    const q = parseOrThrow(AdminJobsQuerySchema, query);
    return this.fleet.jobs({ tenantId: q.tenant, status: q.status, batchId: q.batch, limit: q.limit });
  }

  @Get('tenants')
  tenants(): Promise<TenantSummary[]> {
    return this.fleet.tenants();
  }

  @Post('jobs/:id/retry')
  @HttpCode(202)
  retry(@Param('id') id: string): Promise<RetriedJob> {
    return this.fleet.retry(id);
  }
}
