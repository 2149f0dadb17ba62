// Request bodies of correction rounds and of the job preview.
import { z } from 'zod';
import { BoxSchema, DIRECTIONS, JobObjectSchema, MaskSchema, PointSchema } from './job-body.schema';

const int = z.number().int();

/** A correction: a prompt (points, box or mask) on one frame for one tracked object. */
export const CorrectionSchema = z
  .strictObject({
    frame: int.min(0),
    objectId: int.min(1).max(65535),
    points: z.array(PointSchema).min(1).max(64).optional(),
    box: BoxSchema.optional(),
    mask: MaskSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.points && !p.box && !p.mask)
      ctx.addIssue({
        code: 'custom',
        message: 'a correction needs points, box or mask',
        params: { apiCode: 'EMPTY_PROMPT' },
      });
    if (p.mask && (p.points || p.box))
      ctx.addIssue({ code: 'custom', message: 'a mask prompt cannot be combined with points or box', path: ['mask'] });
  });

export const RoundBodySchema = z
  .strictObject({
    corrections: z.array(CorrectionSchema).max(1000).default([]),
    addObjects: z.array(JobObjectSchema).max(255).default([]),
    removeObjects: z.array(int.min(1).max(65535)).max(255).default([]),
    direction: z.enum(DIRECTIONS).default('forward'),
  })
  .superRefine((b, ctx) => {
    if (b.corrections.length + b.addObjects.length + b.removeObjects.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: 'a round needs corrections, addObjects or removeObjects',
        params: { apiCode: 'EMPTY_ROUND' },
      });
    }
    const seen = new Set<number>();
    b.addObjects.forEach((o, i) => {
      if (seen.has(o.id))
        ctx.addIssue({
          code: 'custom',
          path: ['addObjects', i, 'id'],
          message: `duplicate object id ${o.id}`,
          params: { apiCode: 'DUPLICATE_OBJECT_ID' },
        });
      seen.add(o.id);
      if (o.prompts.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['addObjects', i, 'prompts'],
          message: `object ${o.id} has no prompts (at least one is needed)`,
          params: { apiCode: 'OBJECT_WITHOUT_PROMPTS' },
        });
    });
  });

export type RoundBody = z.output<typeof RoundBodySchema>;

/**
 * What one click (or a drag) would give on one frame: points are appended to the object's earlier
 * clicks on that frame, a box replaces them (with the points given alongside), as a correction does.
 */
export const PreviewBodySchema = z
  .strictObject({
    frame: int.min(0),
    objectId: int.min(1).max(65535),
    points: z.array(PointSchema).min(1).max(64).optional(),
    box: BoxSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.points && !p.box)
      ctx.addIssue({ code: 'custom', message: 'a preview needs points or a box', params: { apiCode: 'EMPTY_PROMPT' } });
  });
export type PreviewBody = z.output<typeof PreviewBodySchema>;

export const PreviewQuerySchema = z.strictObject({ format: z.enum(['json', 'png']).default('json') });

/** What a client sends (defaults not yet applied). */
export type RoundRequest = z.input<typeof RoundBodySchema>;
export type PreviewRequest = z.input<typeof PreviewBodySchema>;
