import { z } from 'zod';

const DAY_MS = 86_400_000;

/** [from, to) over round commit times; default the last 30 days. */
export const TenantAnalyticsQuerySchema = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .transform((q) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    return { from, to };
  })
  .refine((q) => q.from < q.to, { message: 'from must be before to' });

export type TenantAnalyticsQuery = z.output<typeof TenantAnalyticsQuerySchema>;
