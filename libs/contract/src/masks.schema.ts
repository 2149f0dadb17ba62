// Wire schemas of masks as the API answers them: COCO RLE per frame and object (masklets), and previews.
import { z } from 'zod';

export const CocoRleSchema = z.object({
  size: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).describe('[height, width]'),
  counts: z.string().describe("pycocotools' compressed string form"),
});
export type CocoRle = z.output<typeof CocoRleSchema>;

export const BboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[x, y, width, height]');

export const MaskObjectSchema = z.object({
  objectId: z.number().int(),
  rle: CocoRleSchema,
  area: z.number().int().nonnegative().describe('mask pixels'),
  bbox: BboxSchema.nullable().describe('null when the mask is empty'),
  score: z.number().describe('object-presence logit; <= 0 means absent or occluded (the mask is empty)'),
});
export type MaskObject = z.output<typeof MaskObjectSchema>;

export const MaskFrameSchema = z.object({ frame: z.number().int().nonnegative(), objects: z.array(MaskObjectSchema) });
export type MaskFrame = z.output<typeof MaskFrameSchema>;

/** GET /v1/jobs/:id/masklets?format=rle: frames of [from, to) that have masks (frames not written yet are absent). */
export const MaskletFramesSchema = z.object({
  jobId: z.string(),
  round: z
    .number()
    .int()
    .min(1)
    .describe('the round whose state this is (with every earlier SUCCEEDED round under it)'),
  width: z.number().int(),
  height: z.number().int(),
  from: z.number().int().describe('inclusive'),
  to: z.number().int().describe('exclusive'),
  frames: z.array(MaskFrameSchema),
});
export type MaskletFrames = z.output<typeof MaskletFramesSchema>;

/** POST /v1/jobs/:id/preview (JSON): the mask the prompt gives on one frame; nothing is stored. */
export const PreviewResultSchema = z.object({
  frame: z.number().int(),
  objectId: z.number().int(),
  round: z.number().int().nullable().describe('the SUCCEEDED round the preview started from; null: no round yet'),
  rle: CocoRleSchema,
  area: z.number().int().nonnegative(),
  bbox: BboxSchema.nullable(),
  score: z.number(),
  ms: z.number().int().describe('time the API took'),
});
export type PreviewResult = z.output<typeof PreviewResultSchema>;

/** POST /v1/videos/:id/preview: as a job preview, from no job state (round is always null). */
export const VideoPreviewResultSchema = PreviewResultSchema.extend({ round: z.null() });
export type VideoPreviewResult = z.output<typeof VideoPreviewResultSchema>;
