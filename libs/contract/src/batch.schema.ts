// Wire schemas of batches (POST /v1/batches, GET /v1/batches/:id).
import { z } from 'zod';
import { BatchBodySchema, JobBodySchema } from './job-body.schema';
import { JOB_STATUSES } from './job.schema';

/**
 * The batch body as documented and typed for clients: every job is a job body. The API parses the jobs
 * one by one (BatchBodySchema) so that each error names its index.
 */
export const BatchRequestSchema = BatchBodySchema.extend({
  jobs: z.array(JobBodySchema).min(1).describe('at most 10,000; validated all-or-nothing'),
});
export type BatchRequest = z.input<typeof BatchRequestSchema>;

export const BatchCreatedSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  jobCount: z.number().int(),
  jobIds: z.array(z.string()).describe('in the order of the request'),
});
export type BatchCreated = z.output<typeof BatchCreatedSchema>;

export const BatchViewSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  jobCount: z.number().int(),
  counts: z.record(z.enum(JOB_STATUSES), z.number().int()).describe('jobs per status'),
  meanProgress: z.number().describe('0..1'),
  createdAt: z.string().describe('ISO 8601'),
});
export type BatchView = z.output<typeof BatchViewSchema>;
