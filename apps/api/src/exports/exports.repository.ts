import { Inject, Injectable } from '@nestjs/common';
import type { Export, ExportKind, PrismaClient, Round } from '@masklet/db';
import { PRISMA } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';

@Injectable()
export class ExportsRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  list(jobId: string, round?: number): Promise<Export[]> {
    return this.prisma.export.findMany({
      where: { jobId, ...(round === undefined ? {} : { round }) },
      orderBy: [{ round: 'asc' }, { createdAt: 'asc' }],
    });
  }

  /** The export of that job (so another job's, or another tenant's, is not found). */
  find(jobId: string, exportId: string): Promise<Export | null> {
    if (!isUuid(exportId)) return Promise.resolve(null);
    return this.prisma.export.findFirst({ where: { id: exportId, jobId } });
  }

  async videoFilename(videoId: string): Promise<string | null> {
    return (
      (await this.prisma.video.findUnique({ where: { id: videoId }, select: { filename: true } }))?.filename ?? null
    );
  }

  rounds(jobId: string): Promise<Pick<Round, 'number' | 'status'>[]> {
    return this.prisma.round.findMany({
      where: { jobId },
      select: { number: true, status: true },
      orderBy: { number: 'asc' },
    });
  }

  /** The (job, round, kind) row, created QUEUED if missing; a FAILED one is reset to QUEUED. `fresh`: it needs queueing. */
  async claim(jobId: string, round: number, kind: ExportKind): Promise<{ row: Export; fresh: boolean }> {
    const existing = await this.prisma.export.findUnique({ where: { jobId_round_kind: { jobId, round, kind } } });
    if (!existing) {
      const row = await this.prisma.export.upsert({
        where: { jobId_round_kind: { jobId, round, kind } },
        create: { jobId, round, kind },
        update: {},
      });
      return { row, fresh: true };
    }
    if (existing.status !== 'FAILED') return { row: existing, fresh: false };
    const reset = await this.prisma.export.updateMany({
      where: { id: existing.id, status: 'FAILED' },
      data: { status: 'QUEUED', error: null, finishedAt: null },
    });
    const row = await this.prisma.export.findUniqueOrThrow({ where: { id: existing.id } });
    return { row, fresh: reset.count === 1 };
  }
}
