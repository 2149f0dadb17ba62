import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { MaskletConfig } from '@masklet/config';
import type { Video } from '@masklet/db';
import { fairPriority, QUEUES, segmentJobId, segmentJobOptions, type SegmentPayload } from '@masklet/queue';
import { ApiError } from '../common/api-error';
import { validationError, zodIssues, type Issue } from '../common/zod-validation.pipe';
import type { QueueRegistry } from '../core/queues';
import { CONFIG, LOGGER, QUEUES_TOKEN } from '../core/tokens';
import { VideosRepository } from '../videos/videos.repository';
import { JobBodySchema, type JobBody } from '@masklet/contract';
import { buildJobRows, type JobRows } from './job-rows';
import { JobsRepository, type InsertedJob } from './jobs.repository';
import { checkJobAgainstVideo } from './prompt-checks';
import { traceCarrier } from '@masklet/telemetry';

const ADD_BULK_CHUNK = 1000;

export interface SubmitContext {
  tenantId: string;
  apiKeyId: string;
  idempotencyKey?: string;
  requestSha256?: string;
}

/** Validation (schema, then against the videos), insertion and queueing shared by single jobs and batches. */
@Injectable()
export class JobSubmissionService {
  constructor(
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(VideosRepository) private readonly videos: VideosRepository,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** Schema validation of raw bodies; errors name the index when `indexed`. */
  parse(raw: unknown[], indexed: boolean): JobBody[] {
    const issues: Issue[] = [];
    const bodies: JobBody[] = [];
    raw.forEach((r, i) => {
      const res = JobBodySchema.safeParse(r);
      if (res.success) bodies.push(res.data);
      else issues.push(...zodIssues(res.error, indexed ? `jobs[${i}]` : ''));
    });
    if (issues.length) throw validationError(issues);
    return bodies;
  }

  /** Checks every job against its video (all-or-nothing) and builds the rows. */
  async plan(bodies: JobBody[], ctx: SubmitContext, indexed: boolean, batchId?: string): Promise<JobRows[]> {
    const ids = [...new Set(bodies.map((b) => b.videoId))];
    const found = new Map<string, Video>(
      (await this.videos.findManyForTenant(ctx.tenantId, ids)).map((v) => [v.id, v]),
    );
    const issues: Issue[] = [];
    const rows: JobRows[] = [];
    const models = this.queues.models;
    const defaults = { model: models.defaultModel, chunkFrames: this.config.CHUNK_FRAMES };
    bodies.forEach((b, i) => {
      const where = indexed ? `jobs[${i}].` : '';
      if (b.model !== undefined && !models.get(b.model)) {
        issues.push({
          path: `${where}model`,
          code: 'UNKNOWN_MODEL',
          message: `model ${b.model} is not installed; installed: ${models.names.join(', ')}`,
        });
        return;
      }
      const video = found.get(b.videoId);
      if (!video) throw new ApiError(404, 'VIDEO_NOT_FOUND', `${where}videoId: video ${b.videoId} not found`);
      if (video.status !== 'READY') {
        throw new ApiError(
          409,
          'VIDEO_NOT_READY',
          `${where}videoId: video ${b.videoId} is ${video.status}${video.error ? ` (${video.error})` : ''}, not READY`,
        );
      }
      const problems = checkJobAgainstVideo(b, video, where);
      if (problems.length) issues.push(...problems);
      else rows.push(buildJobRows(b, video, { ...ctx, ...(batchId ? { batchId } : {}) }, defaults));
    });
    if (issues.length) {
      const err = validationError(issues);
      throw new ApiError(422, err.code, err.message, err.details);
    }
    return rows;
  }

  /** Inserts then queues; if queueing fails the rows are marked FAILED (ENQUEUE_FAILED) and 503 answers. */
  async insertAndQueue(
    tenantId: string,
    rows: JobRows[],
    batch?: { id: string; name: string | null },
  ): Promise<InsertedJob[]> {
    const inserted = await this.jobs.insertJobs(tenantId, rows, batch);
    try {
      await this.enqueue(tenantId, inserted);
    } catch (err) {
      this.log.error({ err, tenantId, jobs: inserted.length }, 'enqueue failed');
      await this.jobs.markEnqueueFailed(
        inserted.map((j) => j.id),
        'queueing failed: the job queue was unavailable',
      );
      throw new ApiError(503, 'QUEUE_UNAVAILABLE', 'the job queue is unavailable; nothing was queued', {
        dependency: 'redis',
      });
    }
    return inserted;
  }

  newBatchId(): string {
    return randomUUID();
  }

  /** Each job on its model's segment queue, so only a worker that has the model takes it. */
  private async enqueue(tenantId: string, jobs: InsertedJob[]): Promise<void> {
    const byModel = new Map<string, InsertedJob[]>();
    for (const j of jobs) {
      const list = byModel.get(j.model);
      if (list) list.push(j);
      else byModel.set(j.model, [j]);
    }
    for (const [model, list] of byModel) await this.enqueueOn(this.queues.segmentFor(model), tenantId, list);
  }

  private async enqueueOn(queue: Queue, tenantId: string, jobs: InsertedJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += ADD_BULK_CHUNK) {
      await queue.addBulk(
        jobs.slice(i, i + ADD_BULK_CHUNK).map((j) => {
          const data: SegmentPayload = { jobId: j.id, tenantId, round: 1, ...traceCarrier() };
          return {
            name: QUEUES.segment,
            data,
            opts: segmentJobOptions(segmentJobId(j.id, 1), fairPriority(j.rank, j.priority)),
          };
        }),
      );
    }
  }
}
