import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { MaskFrameSchema, MaskObjectSchema } from '@masklet/contract';

export const CHUNK_FORMAT = 'coco-rle-json-gz/v1';

// A chunk's frames are what GET /v1/jobs/:id/masklets streams as they are, so their schema is the wire one.
export const ChunkObjectSchema = MaskObjectSchema;
export const ChunkFrameSchema = MaskFrameSchema;

export const MaskletChunkSchema = z.object({
  format: z.literal(CHUNK_FORMAT),
  jobId: z.string(),
  round: z.number().int().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Frames in ascending order; startFrame inclusive, endFrame exclusive. */
  startFrame: z.number().int().nonnegative(),
  endFrame: z.number().int().nonnegative(),
  frames: z.array(ChunkFrameSchema),
});

export type ChunkObject = z.infer<typeof ChunkObjectSchema>;
export type ChunkFrame = z.infer<typeof ChunkFrameSchema>;
export type MaskletChunk = z.infer<typeof MaskletChunkSchema>;

export interface EncodedChunk {
  body: Buffer;
  sha256: string;
}

/** gzip(JSON) — the same chunk always encodes to the same bytes (retries write identical objects). */
export function encodeChunk(chunk: MaskletChunk): EncodedChunk {
  const body = gzipSync(Buffer.from(JSON.stringify(chunk)), { level: 6 });
  // gzip's header carries no timestamp from zlib here (mtime 0), so the hash is stable.
  return { body, sha256: createHash('sha256').update(body).digest('hex') };
}

export function decodeChunk(body: Buffer): MaskletChunk {
  return MaskletChunkSchema.parse(JSON.parse(gunzipSync(body).toString('utf8')));
}
