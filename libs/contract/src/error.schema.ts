// The body of every 4xx/5xx answer (apps/api/src/common/error-body.ts writes it).
import { z } from 'zod';

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('stable, upper snake case'),
    message: z.string().describe('names the problem: the field, value or entity at fault'),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.output<typeof ErrorBodySchema>;
