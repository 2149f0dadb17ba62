import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';

export const CHUNK_FORMAT = 'coco-rle-json-gz/v1';

const CocoRleSchema = z.object({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  /** pycocotools' compressed string form. */
  counts: z.string(),
});

export const ChunkObjectSchema = z.object({
  objectId: z.number().int(),
  rle: CocoRleSchema,
  area: z.number().int().nonnegative(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  /** Object-presence logit; <= 0 means absent / occluded (and the mask is empty). */
  score: z.number(),
});

export const ChunkFrameSchema = z.object({ frame: z.number().int().nonnegative(), objects: z.array(ChunkObjectSchema) });

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
