// Request body of the video preview (before a job exists).
import { z } from 'zod';
import { BoxSchema, PointSchema } from './job-body.schema';

const int = z.number().int();

/**
 * The prompt an annotator is building for one object on one frame before any job exists: every click
 * so far (and the box, if one was dragged), in the same form as a job prompt ({frame, points, box}),
 * so the dashboard submits exactly what it previewed.
 */
export const VideoPreviewBodySchema = z
  .strictObject({
    frame: int.min(0),
    objectId: int.min(1).max(65535),
    points: z.array(PointSchema).min(1).max(64).optional(),
    box: BoxSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.points && !b.box)
      ctx.addIssue({
        code: 'custom',
        message: 'a preview needs points, a box or both',
        params: { apiCode: 'EMPTY_PROMPT' },
      });
  });
export type VideoPreviewBody = z.output<typeof VideoPreviewBodySchema>;
export type VideoPreviewRequest = z.input<typeof VideoPreviewBodySchema>;
