// Wire schemas of the operator routes (/v1/admin/...): the worker fleet, jobs and tenants across tenants.
import { z } from 'zod';
import { JobStatusSchema } from './job.schema';

export const WORKER_STATES = ['BUSY', 'IDLE', 'STALE', 'STOPPED'] as const;
export const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'] as const;

export const GpuViewSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  utilisation: z.number().nullable().describe('0..1 as nvidia-smi reports it; null where the GPU does not report it'),
  memoryUsedBytes: z.number().nullable(),
  memoryTotalBytes: z.number().nullable(),
});
export type GpuView = z.output<typeof GpuViewSchema>;

export const WorkerViewSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  device: z.string(),
  model: z.string().describe('the first model it serves'),
  models: z.array(z.string()).describe('the models it serves, one segment queue each'),
  queues: z.array(z.string()).describe('every queue it consumes'),
  state: z.enum(WORKER_STATES).describe('STALE: missed 3 heartbeats'),
  currentJobId: z.string().nullable(),
  fps: z.number().describe('frames per second over its latest heartbeat interval'),
  gpus: z.array(GpuViewSchema).describe('its host GPUs at the latest heartbeat (nvidia-smi); empty on a CPU host'),
  cpuUtilisation: z.number().nullable(),
  rssBytes: z.number().int(),
  systemMemory: z.object({ totalBytes: z.number(), freeBytes: z.number() }).nullable(),
  framesProcessed: z.number().int(),
  jobsCompleted: z.number().int(),
  jobsFailed: z.number().int(),
  inferenceMsPerRole: z.record(z.string(), z.object({ calls: z.number().int(), meanMs: z.number() })),
  startedAt: z.string().describe('ISO 8601'),
  heartbeatAt: z.string().describe('ISO 8601'),
  heartbeatAgeMs: z.number(),
});
export type WorkerView = z.output<typeof WorkerViewSchema>;

export const QueueCountsSchema = z.object({
  name: z.string(),
  counts: z.record(z.enum(QUEUE_STATES), z.number().int()),
});
export type QueueCounts = z.output<typeof QueueCountsSchema>;

export const FailedJobRowSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  errorCode: z.string().nullable(),
  error: z.string().nullable(),
  finishedAt: z.string().nullable(),
  attempts: z.number().int(),
});

/** GET /v1/admin/fleet and each `fleet` event of /v1/admin/fleet/events. */
export const FleetSnapshotSchema = z.object({
  at: z.string().describe('ISO 8601'),
  workers: z.array(WorkerViewSchema),
  framesPerSec: z.number().describe("the sum of the live workers' frames per second over their latest heartbeat"),
  queues: z.array(QueueCountsSchema),
  throughput: z
    .array(
      z.object({
        minute: z.string(),
        jobsPerMin: z.number().int().describe('jobs that finished (SUCCEEDED) in the minute'),
        framesPerSec: z.number().describe('frames the workers propagated in the minute, per second'),
      }),
    )
    .describe('one point per minute of the last hour, oldest first'),
  failedJobs: z.array(FailedJobRowSchema).describe('the latest 50'),
});
export type FleetSnapshot = z.output<typeof FleetSnapshotSchema>;

export const AdminJobRowSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  batchId: z.string().nullable(),
  status: JobStatusSchema,
  progress: z.number(),
  framesDone: z.number().int(),
  framesTotal: z.number().int(),
  currentRound: z.number().int(),
  errorCode: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  finishedAt: z.string().nullable(),
});
export type AdminJobRow = z.output<typeof AdminJobRowSchema>;

export const AdminJobListSchema = z.object({ items: z.array(AdminJobRowSchema).describe('newest first') });
export type AdminJobList = z.output<typeof AdminJobListSchema>;

export const AdminJobsQuerySchema = z.strictObject({
  tenant: z.uuid().optional(),
  status: JobStatusSchema.optional(),
  batch: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const TenantSummarySchema = z.object({ id: z.string(), name: z.string() });
export const TenantListSchema = z.array(TenantSummarySchema).describe('by name');
export type TenantSummary = z.output<typeof TenantSummarySchema>;

/** POST /v1/admin/jobs/:id/retry */
export const RetriedJobSchema = z.object({ id: z.string(), status: z.literal('QUEUED') });
export type RetriedJob = z.output<typeof RetriedJobSchema>;
