import { z } from 'zod';

const uuid = z.string().uuid();
const point = z.object({ x: z.number(), y: z.number(), label: z.union([z.literal(0), z.literal(1)]) });
const box = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() });

/**
 * A preview asked of the workers holding a model (previewQueueName), already checked by the API against
 * the video. With a job: from the end checkpoint of its `round` (null: no round succeeded yet), the
 * clicks refining the object's; without: a first prompt on the bare video.
 */
export const PreviewPayload = z.object({
  tenantId: uuid,
  video: z.object({ id: uuid, s3Key: z.string(), sourceUri: z.string().nullable() }),
  job: z.object({ id: uuid, round: z.number().int().min(1).nullable(), options: z.unknown() }).nullable(),
  frame: z.number().int().min(0),
  objectId: z.number().int().min(1),
  points: z.array(point),
  box: box.nullable(),
});
export type PreviewPayload = z.infer<typeof PreviewPayload>;

/** The worker's answer: the object's mask on the frame, or the engine's refusal of the prompt (never retried). */
export type PreviewReply =
  | {
      ok: true;
      rle: { size: [number, number]; counts: string };
      area: number;
      bbox: [number, number, number, number] | null;
      score: number;
    }
  | { ok: false; code: string; message: string };
