import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Auth, type AuthContext } from '../auth/auth-context';
import { Scopes } from '../auth/scopes.decorator';
import { parseOrThrow } from '../common/zod-validation.pipe';
import { TenantAnalyticsQuerySchema } from './analytics.schema';
import type { JobAnalyticsView, TenantAnalyticsView } from '@masklet/contract';
import { AnalyticsService } from './analytics.service';

@Controller('v1')
export class AnalyticsController {
  constructor(@Inject(AnalyticsService) private readonly analytics: AnalyticsService) {}

  @Get('jobs/:id/analytics')
  @Scopes('read')
  job(@Auth() auth: AuthContext, @Param('id') id: string): Promise<JobAnalyticsView> {
    return this.analytics.job(auth.tenantId, id);
  }

  @Get('analytics')
  @Scopes('read')
  tenant(@Auth() auth: AuthContext, @Query() query: unknown): Promise<TenantAnalyticsView> {
    return this.analytics.tenant(auth.tenantId, parseOrThrow(TenantAnalyticsQuerySchema, query));
  }
}
