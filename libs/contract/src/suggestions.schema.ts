// Query and answer of GET /v1/jobs/:id/suggestions.
import { z } from 'zod';

export const SuggestionsQuerySchema = z.strictObject({
  /** The job as of this round (it and every earlier SUCCEEDED round); default: its latest usable round. */
  round: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
});

export type SuggestionsQuery = z.output<typeof SuggestionsQuerySchema>;

export const SuggestionReasonSchema = z.object({
  signal: z.enum(['presenceFlip', 'lowIou', 'areaJump', 'centroidJump', 'promptDisagreement', 'promptDrift']),
  value: z.number(),
  contribution: z.number(),
});

export const SuggestionsViewSchema = z.object({
  jobId: z.string(),
  round: z.number().int(),
  items: z.array(
    z.object({
      frame: z.number().int(),
      objectId: z.number().int(),
      score: z.number(),
      reasons: z.array(SuggestionReasonSchema),
    }),
  ),
});

export type SuggestionsView = z.output<typeof SuggestionsViewSchema>;
