// Wire schema of a video as the API answers it (POST/GET /v1/videos).
import { z } from 'zod';

/** POST /v1/videos as JSON: register an object already in S3 (an upload is multipart/form-data, field "file"). */
export const RegisterVideoBodySchema = z.strictObject({
  uri: z.string().min(1).describe('s3://bucket/key in an allowed bucket'),
});

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
