// Wire schemas of annotation effort (GET /v1/jobs/:id/analytics, GET /v1/analytics).
import { z } from 'zod';

const count = z.number().int().nullable();

export const EffortTotalsSchema = z.object({
  rounds: z.number().int(),
  clicks: z.number().int(),
  previews: z.number().int(),
  activeSeconds: z.number(),
  framesChanged: z.number().int(),
  secondsPerFrame: z
    .number()
    .nullable()
    .describe('over the rounds with a recorded active time: their seconds / their frames'),
});
export type EffortTotals = z.output<typeof EffortTotalsSchema>;

export const RoundEffortViewSchema = z.object({
  round: z.number().int(),
  status: z.string(),
  apiKeyId: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  clicks: count.describe("points + boxes in the round's prompts"),
  previews: count,
  activeSeconds: z
    .number()
    .nullable()
    .describe("from the committing key's first preview since its previous commit to the commit"),
  framesChanged: count.describe('distinct prompted frames'),
  secondsPerFrame: z.number().nullable(),
});
export type RoundEffortView = z.output<typeof RoundEffortViewSchema>;

export const KeyEffortViewSchema = EffortTotalsSchema.extend({
  apiKeyId: z.string().nullable(),
  keyName: z.string().nullable(),
});
export type KeyEffortView = z.output<typeof KeyEffortViewSchema>;

export const JobAnalyticsViewSchema = z.object({
  jobId: z.string(),
  rounds: z.array(RoundEffortViewSchema),
  perKey: z.array(KeyEffortViewSchema),
  totals: EffortTotalsSchema,
  open: z
    .array(
      z.object({
        apiKeyId: z.string(),
        firstPreviewAt: z.string(),
        lastPreviewAt: z.string(),
        previews: z.number().int(),
      }),
    )
    .describe('preview activity not committed yet, per key'),
});
export type JobAnalyticsView = z.output<typeof JobAnalyticsViewSchema>;

export const TenantAnalyticsViewSchema = z.object({
  from: z.string().describe('ISO 8601, inclusive'),
  to: z.string().describe('ISO 8601, exclusive'),
  perKey: z.array(KeyEffortViewSchema),
  totals: EffortTotalsSchema,
});
export type TenantAnalyticsView = z.output<typeof TenantAnalyticsViewSchema>;
