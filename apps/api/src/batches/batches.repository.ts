import { Inject, Injectable } from '@nestjs/common';
import type { BatchView } from '@masklet/contract';
import type { Batch, PrismaClient } from '@masklet/db';
import { PRISMA } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';

@Injectable()
export class BatchesRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  findForTenant(tenantId: string, id: string): Promise<Batch | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.batch.findFirst({ where: { id, tenantId } });
  }

  async aggregate(batchId: string): Promise<{ counts: BatchView['counts']; meanProgress: number }> {
    const [groups, avg] = await Promise.all([
      this.prisma.job.groupBy({ by: ['status'], where: { batchId }, _count: { _all: true } }),
      this.prisma.job.aggregate({ where: { batchId }, _avg: { progress: true } }),
    ]);
    const counts: BatchView['counts'] = { QUEUED: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, CANCELLED: 0 };
    for (const g of groups) counts[g.status] = g._count._all;
    return { counts, meanProgress: avg._avg.progress ?? 0 };
  }
}
