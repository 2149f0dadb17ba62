// Request bodies and queries of the job routes (POST /v1/jobs, /v1/batches, GET /v1/jobs, masklets).
import { z } from 'zod';
import { EXPORT_FORMAT_NAMES, EXPORT_FORMAT_SPELLINGS } from './export-formats';

export const DIRECTIONS = ['forward', 'backward', 'both'] as const;
/** Export formats a job may ask for (names of libs/contract's registry and their aliases). */
export const OUTPUTS = EXPORT_FORMAT_SPELLINGS;

const int = z.number().int();
const coord = z.number().finite();

export const PointSchema = z.strictObject({
  x: coord,
  y: coord,
  label: z.union([z.literal(0), z.literal(1)], { error: 'label must be 0 (negative) or 1 (positive)' }),
});

export const BoxSchema = z
  .strictObject({ x0: coord, y0: coord, x1: coord, y1: coord })
  .refine((b) => b.x1 > b.x0 && b.y1 > b.y0, { message: 'box needs x1 > x0 and y1 > y0' });

export const MaskSchema = z.strictObject({
  size: z.tuple([int.min(1), int.min(1)]).describe('[height, width]'),
  counts: z
    .union([z.string().min(1), z.array(int.min(0)).min(1)])
    .describe('COCO RLE: compressed string or uncompressed counts'),
});

export const PromptSchema = z
  .strictObject({
    frame: int.min(0),
    points: z.array(PointSchema).min(1).max(64).optional(),
    box: BoxSchema.optional(),
    mask: MaskSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (!p.points && !p.box && !p.mask)
      ctx.addIssue({
        code: 'custom',
        message: 'a prompt needs points, box or mask',
        params: { apiCode: 'EMPTY_PROMPT' },
      });
    if (p.mask && (p.points || p.box))
      ctx.addIssue({ code: 'custom', message: 'a mask prompt cannot be combined with points or box', path: ['mask'] });
  });

export const JobObjectSchema = z.strictObject({
  id: int.min(1).max(65535),
  label: z.string().max(200).optional(),
  prompts: z.array(PromptSchema).max(1000),
});

export const JobOptionsSchema = z.strictObject({
  direction: z.enum(DIRECTIONS).default('forward'),
  startFrame: int.min(0).optional(),
  maxFrames: int.min(1).optional(),
  outputs: z
    .array(z.enum(OUTPUTS))
    .max(EXPORT_FORMAT_SPELLINGS.length)
    .optional()
    .describe(`export formats: ${EXPORT_FORMAT_NAMES.join(', ')} (aliases accepted)`),
  chunkFrames: int.min(1).max(1024).optional(),
});

export const JobBodySchema = z
  .strictObject({
    videoId: z.string().uuid(),
    model: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "an installed model's manifest name (an unknown one: 422 naming the installed); default: the deployment's default model",
      ),
    objects: z.array(JobObjectSchema).min(1).max(255),
    options: JobOptionsSchema.optional(),
    priority: int.min(1).max(10).default(5),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<number>();
    body.objects.forEach((o, i) => {
      if (seen.has(o.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'id'],
          message: `duplicate object id ${o.id}`,
          params: { apiCode: 'DUPLICATE_OBJECT_ID' },
        });
      }
      seen.add(o.id);
      if (o.prompts.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['objects', i, 'prompts'],
          message: `object ${o.id} has no prompts (at least one is needed)`,
          params: { apiCode: 'OBJECT_WITHOUT_PROMPTS' },
        });
      }
    });
  });

export type JobBody = z.output<typeof JobBodySchema>;
export type PromptBody = z.output<typeof PromptSchema>;

export const MAX_BATCH_JOBS = 10_000;

export const BatchBodySchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  jobs: z.array(z.unknown()).min(1, 'a batch needs at least one job'),
});

export const JobListQuerySchema = z.strictObject({
  status: z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']).optional(),
  batchId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const MaskletQuerySchema = z.strictObject({
  from: z.coerce.number().int().min(0).default(0),
  to: z.coerce.number().int().min(1).optional(),
  format: z.enum(['rle', 'png']).default('rle'),
  round: z.coerce.number().int().min(1).optional(),
  object: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'object must be an id or a comma-separated list of ids')
    .transform((s) => s.split(',').map(Number))
    .optional(),
});

/** What a client sends (defaults not yet applied), as the typed clients take it. */
export type JobRequest = z.input<typeof JobBodySchema>;
export type JobListQuery = z.input<typeof JobListQuerySchema>;
