import { z } from 'zod';
import { EXPORT_FORMAT_KINDS } from '@masklet/contract';

const uuid = z.string().uuid();

export const IngestPayload = z.object({ videoId: uuid, tenantId: uuid });
export type IngestPayload = z.infer<typeof IngestPayload>;

export const SegmentPayload = z.object({
  jobId: uuid,
  tenantId: uuid,
  /** 1 = the initial propagation; > 1 = a correction round. */
  round: z.number().int().min(1),
});
export type SegmentPayload = z.infer<typeof SegmentPayload>;

export const ExportKindSchema = z.enum(EXPORT_FORMAT_KINDS);
export const ExportPayload = z.object({
  exportId: uuid,
  jobId: uuid,
  tenantId: uuid,
  round: z.number().int().min(1),
  kind: ExportKindSchema,
});
export type ExportPayload = z.infer<typeof ExportPayload>;

export const WebhookEvent = z.enum(['job.succeeded', 'job.failed', 'job.cancelled', 'round.succeeded', 'round.failed']);
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export const WebhookPayload = z.object({ deliveryId: uuid });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** Parses a payload at a worker's edge; a malformed one fails the job without retries. */
export function parsePayload<T>(schema: z.ZodType<T>, data: unknown, queue: string): T {
  const r = schema.safeParse(data);
  if (!r.success)
    throw new Error(
      `invalid ${queue} payload: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}
