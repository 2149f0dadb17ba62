import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@masklet/db';
import { notFound } from '../common/api-error';
import { PRISMA } from '../core/tokens';
import { isUuid } from '../videos/videos.repository';
import type { JobAnalyticsView, KeyEffortView, TenantAnalyticsView } from '@masklet/contract';
import { sumEffort } from './round-effort';
import type { TenantAnalyticsQuery } from './analytics.schema';

type RoundRow = {
  jobId: string;
  number: number;
  status: string;
  apiKeyId: string | null;
  createdAt: Date;
  clicks: number | null;
  previews: number | null;
  activeSeconds: number | null;
  framesChanged: number | null;
  secondsPerFrame: number | null;
};

const ROUND_SELECT = {
  jobId: true,
  number: true,
  status: true,
  apiKeyId: true,
  createdAt: true,
  clicks: true,
  previews: true,
  activeSeconds: true,
  framesChanged: true,
  secondsPerFrame: true,
} as const;

/** Annotation effort per round, per API key and per tenant (round-effort.ts defines the numbers). */
@Injectable()
export class AnalyticsService {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  async job(tenantId: string, jobId: string): Promise<JobAnalyticsView> {
    const job = isUuid(jobId)
      ? await this.prisma.job.findFirst({ where: { id: jobId, tenantId }, select: { id: true } })
      : null;
    if (!job) throw notFound('job', jobId);
    const [rows, open] = await Promise.all([
      this.prisma.round.findMany({ where: { jobId }, select: ROUND_SELECT, orderBy: { number: 'asc' } }),
      this.prisma.annotationSession.findMany({
        where: { jobId, closedByRound: 0 },
        orderBy: { firstPreviewAt: 'asc' },
      }),
    ]);
    const filled = await this.withPromptClicks(rows);
    return {
      jobId,
      rounds: filled.map((r) => ({
        round: r.number,
        status: r.status,
        apiKeyId: r.apiKeyId,
        createdAt: r.createdAt.toISOString(),
        clicks: r.clicks,
        previews: r.previews,
        activeSeconds: r.activeSeconds,
        framesChanged: r.framesChanged,
        secondsPerFrame: r.secondsPerFrame,
      })),
      perKey: await this.perKey(tenantId, filled),
      totals: sumEffort(filled),
      open: open.map((s) => ({
        apiKeyId: s.apiKeyId,
        firstPreviewAt: s.firstPreviewAt.toISOString(),
        lastPreviewAt: s.lastPreviewAt.toISOString(),
        previews: s.previews,
      })),
    };
  }

  async tenant(tenantId: string, q: TenantAnalyticsQuery): Promise<TenantAnalyticsView> {
    const rows = await this.prisma.round.findMany({
      where: { job: { tenantId }, createdAt: { gte: q.from, lt: q.to } },
      select: ROUND_SELECT,
      orderBy: [{ createdAt: 'asc' }, { number: 'asc' }],
    });
    const filled = await this.withPromptClicks(rows);
    return {
      from: q.from.toISOString(),
      to: q.to.toISOString(),
      perKey: await this.perKey(tenantId, filled),
      totals: sumEffort(filled),
    };
  }

  /**
   * Rounds committed without an effort record (the first round, submitted with the job, and rounds
   * from before effort was recorded) get their clicks counted from their stored prompts, by the same
   * rule as clicksOf, and the number of distinct prompted frames.
   */
  private async withPromptClicks(rows: RoundRow[]): Promise<RoundRow[]> {
    const missing = rows.filter((r) => r.clicks === null);
    if (missing.length === 0) return rows;
    const counted = await this.prisma.$queryRaw<{ jobId: string; round: number; clicks: bigint; frames: bigint }[]>`
      SELECT p."jobId", p."round",
             SUM(CASE WHEN jsonb_typeof(p."points") = 'array' THEN jsonb_array_length(p."points") ELSE 0 END
               + CASE WHEN jsonb_typeof(p."box") = 'array' THEN 1 ELSE 0 END) AS clicks,
             COUNT(DISTINCT p."frame") AS frames
      FROM "Prompt" p
      JOIN unnest(${missing.map((r) => r.jobId)}::uuid[], ${missing.map((r) => r.number)}::int[]) AS m(jid, num) ON p."jobId" = m.jid AND p."round" = m.num
      GROUP BY p."jobId", p."round"`;
    const byKey = new Map(counted.map((c) => [`${c.jobId}:${c.round}`, c]));
    return rows.map((r) => {
      if (r.clicks !== null) return r;
      const c = byKey.get(`${r.jobId}:${r.number}`);
      return { ...r, clicks: Number(c?.clicks ?? 0), framesChanged: r.framesChanged ?? Number(c?.frames ?? 0) };
    });
  }

  private async perKey(tenantId: string, rows: RoundRow[]): Promise<KeyEffortView[]> {
    const groups = new Map<string | null, RoundRow[]>();
    for (const r of rows) groups.set(r.apiKeyId, [...(groups.get(r.apiKeyId) ?? []), r]);
    const ids = [...groups.keys()].filter((k): k is string => k !== null);
    const keys = ids.length
      ? await this.prisma.apiKey.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, name: true } })
      : [];
    const names = new Map(keys.map((k) => [k.id, k.name]));
    return [...groups]
      .map(([apiKeyId, list]) => ({
        apiKeyId,
        keyName: apiKeyId ? (names.get(apiKeyId) ?? null) : null,
        ...sumEffort(list),
      }))
      .sort((a, b) => (a.apiKeyId ?? '').localeCompare(b.apiKeyId ?? ''));
  }
}
