import type { ExportKind, PrismaClient } from '@masklet/db';
import {
  exportJobId,
  exportJobOptions,
  webhookJobId,
  webhookJobOptions,
  type ExportPayload,
  type WebhookEvent,
  type WebhookPayload,
} from '@masklet/queue';
import type { WorkerContext } from './context';
import { traceCarrier } from '@masklet/telemetry';

/**
 * Creates (or finds) the WebhookDelivery row of (job, event) and queues its delivery. The row is
 * unique per job and event and the queue entry is keyed by its id, so a retried job, or the API and
 * a worker both reporting a cancel, never deliver the same event twice.
 */
export async function enqueueWebhook(
  ctx: Pick<WorkerContext, 'prisma' | 'queues' | 'config'>,
  jobId: string,
  url: string | null,
  event: WebhookEvent,
): Promise<string | null> {
  if (!url) return null;
  const row = await ctx.prisma.webhookDelivery.upsert({
    where: { jobId_event: { jobId, event } },
    create: { jobId, event, url },
    update: {},
  });
  if (row.status !== 'PENDING') return row.id;
  const payload: WebhookPayload = { deliveryId: row.id, ...traceCarrier() };
  await ctx.queues.webhook.add(
    event,
    payload,
    webhookJobOptions(webhookJobId(row.id), ctx.config.WEBHOOK_ATTEMPTS, ctx.config.WEBHOOK_BACKOFF_MS),
  );
  return row.id;
}

/** Export rows (unique per job, round, kind) in QUEUED state and one queue entry each. */
export async function enqueueExports(
  ctx: Pick<WorkerContext, 'prisma' | 'queues'>,
  job: { id: string; tenantId: string },
  round: number,
  kinds: readonly ExportKind[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const kind of kinds) {
    const row = await upsertExport(ctx.prisma, job.id, round, kind);
    const payload: ExportPayload = {
      exportId: row.id,
      jobId: job.id,
      tenantId: job.tenantId,
      round,
      kind,
      ...traceCarrier(),
    };
    await ctx.queues.export.add(kind, payload, exportJobOptions(exportJobId(row.id)));
    ids.push(row.id);
  }
  return ids;
}

function upsertExport(prisma: PrismaClient, jobId: string, round: number, kind: ExportKind) {
  return prisma.export.upsert({
    where: { jobId_round_kind: { jobId, round, kind } },
    create: { jobId, round, kind },
    update: {},
  });
}
