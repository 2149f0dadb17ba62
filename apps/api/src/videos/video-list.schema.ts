import { z } from 'zod';

export const VideoListQuerySchema = z.strictObject({
  status: z.enum(['PENDING', 'READY', 'FAILED']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type VideoListQuery = z.output<typeof VideoListQuerySchema>;
