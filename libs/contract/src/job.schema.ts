// Wire schema of a job as the API answers it (GET /v1/jobs/:id and friends); clients derive their types from it.
import { z } from 'zod';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.output<typeof JobStatusSchema>;

export const FrameRangeSchema = z.object({ start: z.number().int(), end: z.number().int() }).describe('inclusive');
export type FrameRange = z.output<typeof FrameRangeSchema>;

export const ObjectStatsViewSchema = z.object({
  id: z.number().int(),
  label: z.string().nullable(),
  framesPresent: z
    .number()
    .int()
    .describe("frames of the current round where the object is present (from the worker's track chunks)"),
  meanArea: z
    .number()
    .nullable()
    .describe('mean mask area in pixels over the frames where it is present; null before any frame'),
});
export type ObjectStatsView = z.output<typeof ObjectStatsViewSchema>;

/** The job's options as the API stored them at submission (defaults applied). */
export const JobOptionsViewSchema = z.looseObject({
  direction: z.enum(['forward', 'backward', 'both']).optional(),
  startFrame: z.number().int().optional(),
  maxFrames: z.number().int().optional(),
  outputs: z.array(z.string()).optional(),
  chunkFrames: z.number().int().optional(),
});

export const RoundProgressViewSchema = z
  .object({
    number: z.number().int(),
    status: JobStatusSchema,
    framesDone: z.number().int(),
    framesTotal: z.number().int(),
    progress: z.number(),
  })
  .describe("the current round's own work (a correction round recomputes only what its prompts reach)");
export type RoundProgressView = z.output<typeof RoundProgressViewSchema>;

export const JobViewSchema = z.object({
  id: z.string(),
  status: JobStatusSchema,
  videoId: z.string(),
  batchId: z.string().nullable(),
  model: z.string(),
  priority: z.number().int(),
  progress: z.number().describe("0..1: the share of the job's frames that have masks"),
  framesDone: z.number().int(),
  framesTotal: z.number().int().describe('frameRange.end - frameRange.start + 1, fixed at submission'),
  frameRange: FrameRangeSchema,
  currentRound: z.number().int(),
  round: RoundProgressViewSchema.optional(),
  options: JobOptionsViewSchema,
  webhookUrl: z.string().nullable(),
  cancelRequested: z.boolean(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  objects: z.array(ObjectStatsViewSchema).optional(),
  createdAt: z.string().describe('ISO 8601'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobView = z.output<typeof JobViewSchema>;

export const JobListSchema = z.object({ items: z.array(JobViewSchema), nextCursor: z.string().nullable() });
export type JobList = z.output<typeof JobListSchema>;
