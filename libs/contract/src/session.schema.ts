// Wire schema of a dashboard session (POST/GET /v1/session): who is logged in, never the key itself.
import { z } from 'zod';

export const SessionViewSchema = z.object({
  keyPrefix: z.string(),
  tenantId: z.string(),
  scopes: z.array(z.string()),
  operator: z.boolean(),
  expiresAt: z
    .string()
    .nullable()
    .describe('ISO 8601; null when the request carried an API key instead of the session cookie'),
});
export type SessionView = z.output<typeof SessionViewSchema>;
