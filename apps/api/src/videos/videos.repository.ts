import { Inject, Injectable } from '@nestjs/common';
import type { Prisma, PrismaClient, Video, VideoStatus } from '@masklet/db';
import { PRISMA } from '../core/tokens';

export interface VideoFacts {
  sha256: string;
  sizeBytes: number;
  durationSec: number;
  fps: number;
  width: number;
  height: number;
  frameCount: number;
  codec: string;
}

@Injectable()
export class VideosRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  createPending(data: {
    id: string;
    tenantId: string;
    s3Key: string;
    sourceUri?: string;
    filename?: string;
    contentType?: string;
  }): Promise<Video> {
    return this.prisma.video.create({ data: { ...data, status: 'PENDING' } });
  }

  markReady(id: string, facts: VideoFacts): Promise<Video> {
    return this.prisma.video.update({
      where: { id },
      data: { ...facts, sizeBytes: BigInt(facts.sizeBytes), status: 'READY', error: null },
    });
  }

  async markFailed(id: string, error: string, extra: { sizeBytes?: number; sha256?: string } = {}): Promise<void> {
    await this.prisma.video.update({
      where: { id },
      data: {
        status: 'FAILED',
        error,
        ...(extra.sizeBytes !== undefined ? { sizeBytes: BigInt(extra.sizeBytes) } : {}),
        ...(extra.sha256 ? { sha256: extra.sha256 } : {}),
      },
    });
  }

  async setNames(id: string, filename: string | null, contentType: string | null): Promise<void> {
    await this.prisma.video.update({ where: { id }, data: { filename, contentType } });
  }

  /** Tenant-scoped: another tenant's video is simply not found. */
  findForTenant(tenantId: string, id: string): Promise<Video | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.prisma.video.findFirst({ where: { id, tenantId } });
  }

  /** Keyset pagination, newest first; the cursor is the last row's (createdAt, id). */
  listForTenant(
    tenantId: string,
    q: { status?: VideoStatus; limit: number; after?: { createdAt: Date; id: string } },
  ): Promise<Video[]> {
    const where: Prisma.VideoWhereInput = {
      tenantId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.after
        ? { OR: [{ createdAt: { lt: q.after.createdAt } }, { createdAt: q.after.createdAt, id: { lt: q.after.id } }] }
        : {}),
    };
    return this.prisma.video.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit });
  }

  findManyForTenant(tenantId: string, ids: string[]): Promise<Video[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.prisma.video.findMany({ where: { tenantId, id: { in: valid } } });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
