// Wire schema of a video as the API answers it (POST/GET /v1/videos).
import { z } from 'zod';

export const VideoStatusSchema = z.enum(['PENDING', 'READY', 'FAILED']);

export const VideoViewSchema = z.object({
  id: z.string(),
  status: VideoStatusSchema,
  filename: z.string().nullable(),
  sourceUri: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  sha256: z.string().nullable(),
  durationSec: z.number().nullable(),
  fps: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  frameCount: z.number().int().nullable(),
  codec: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
});
export type VideoView = z.output<typeof VideoViewSchema>;

export const VideoListSchema = z.object({ items: z.array(VideoViewSchema), nextCursor: z.string().nullable() });
export type VideoList = z.output<typeof VideoListSchema>;
