// Wire schemas of correction rounds (POST/GET /v1/jobs/:id/rounds) and of a job's swim lanes (tracks).
import { z } from 'zod';
import { FrameRangeSchema, JobStatusSchema } from './job.schema';

export const RoundViewSchema = z.object({
  jobId: z.string(),
  number: z.number().int().min(1),
  status: JobStatusSchema,
  direction: z.string().describe('forward, backward or both'),
  apiKeyId: z.string().nullable().describe('the key that committed the round'),
  changedFrames: z.array(z.number().int()),
  changedObjects: z.array(z.number().int()),
  removedObjects: z.array(z.number().int()),
  framesRecomputed: z.number().int().nullable(),
  meanIouDelta: z
    .number()
    .nullable()
    .describe("mean (1 - IoU) against the previous round's masks over recomputed frames"),
  stats: z
    .unknown()
    .describe("the worker's stats: attempts with resume points, checkpoint sizes per object (null before any)"),
  error: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RoundView = z.output<typeof RoundViewSchema>;

export const RoundListSchema = z.object({ items: z.array(RoundViewSchema).describe('by number') });
export type RoundList = z.output<typeof RoundListSchema>;

export const ObjectLaneViewSchema = z.object({
  id: z.number().int(),
  label: z.string().nullable(),
  present: z
    .array(z.tuple([z.number().int(), z.number().int()]))
    .describe('[start, end) runs of frames where the object is present (newest round per frame)'),
  prompts: z
    .array(z.object({ frame: z.number().int(), round: z.number().int(), kind: z.string() }))
    .describe('frames that carry a prompt, with the round that added it'),
  removedInRound: z.number().int().nullable(),
});
export type ObjectLaneView = z.output<typeof ObjectLaneViewSchema>;

/** GET /v1/jobs/:id/tracks */
export const TracksViewSchema = z.object({
  round: z.number().int(),
  framesTotal: z.number().int().describe('frameRange.end - frameRange.start + 1'),
  frameRange: FrameRangeSchema.describe("the job's frames, inclusive: the lanes' axis"),
  objects: z.array(ObjectLaneViewSchema),
});
export type TracksView = z.output<typeof TracksViewSchema>;
