import { Inject, Injectable } from '@nestjs/common';
import type { Job, Prisma, PrismaClient, Worker } from '@masklet/db';
import { PRISMA } from '../core/tokens';

export interface ThroughputRow {
  minute: Date;
  jobs: number;
}

export interface AdminJobFilter {
  tenantId?: string;
  status?: Job['status'];
  batchId?: string;
  limit: number;
}

/** Fleet-wide reads for operators: not scoped to one tenant (admin routes only). */
@Injectable()
export class FleetRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  workers(): Promise<Worker[]> {
    return this.prisma.worker.findMany({ orderBy: [{ host: 'asc' }, { startedAt: 'asc' }] });
  }

  /** Workers whose heartbeat is older than `before` are dropped from the view (restarted pods). */
  forgetWorkers(before: Date): Promise<Prisma.BatchPayload> {
    return this.prisma.worker.deleteMany({ where: { heartbeatAt: { lt: before } } });
  }

  /** Jobs finished and frames they produced, per minute since `since`. */
  async throughput(since: Date): Promise<ThroughputRow[]> {
    const rows = await this.prisma.$queryRaw<{ minute: Date; jobs: bigint }[]>`
      SELECT date_trunc('minute', "finishedAt") AS minute, count(*) AS jobs
      FROM "Job" WHERE "finishedAt" >= ${since} AND status = 'SUCCEEDED'
      GROUP BY 1 ORDER BY 1`;
    return rows.map((r) => ({ minute: r.minute, jobs: Number(r.jobs) }));
  }

  failedJobs(limit: number): Promise<(Job & { tenant: { name: string } })[]> {
    return this.prisma.job.findMany({
      where: { status: 'FAILED' },
      orderBy: { finishedAt: 'desc' },
      take: limit,
      include: { tenant: { select: { name: true } } },
    });
  }

  jobs(filter: AdminJobFilter): Promise<(Job & { tenant: { name: string } })[]> {
    return this.prisma.job.findMany({
      where: { tenantId: filter.tenantId, status: filter.status, batchId: filter.batchId },
      orderBy: { createdAt: 'desc' },
      take: filter.limit,
      include: { tenant: { select: { name: true } } },
    });
  }

  tenants(): Promise<{ id: string; name: string }[]> {
    return this.prisma.tenant.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
  }

  findJob(id: string): Promise<Job | null> {
    return this.prisma.job.findUnique({ where: { id } });
  }

  /** FAILED -> QUEUED for the job and its current round; false when the job was not FAILED. */
  async requeueFailed(id: string, round: number): Promise<boolean> {
    const [job] = await this.prisma.$transaction([
      this.prisma.job.updateMany({
        where: { id, status: 'FAILED' },
        data: { status: 'QUEUED', errorCode: null, error: null, finishedAt: null, progress: 0, framesDone: 0 },
      }),
      this.prisma.round.updateMany({
        where: { jobId: id, number: round, status: 'FAILED' },
        data: { status: 'QUEUED', error: null, finishedAt: null },
      }),
    ]);
    return job.count === 1;
  }
}
