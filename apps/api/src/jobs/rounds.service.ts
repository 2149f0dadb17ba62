import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Job, Prisma, PrismaClient, Round } from '@masklet/db';
import { fairPriority, QUEUES, segmentJobId, segmentJobOptions, type SegmentPayload } from '@masklet/queue';
import { ApiError, notFound } from '../common/api-error';
import { validationError, zodIssues, type Issue } from '../common/zod-validation.pipe';
import type { QueueRegistry } from '../core/queues';
import { LOGGER, PRISMA, QUEUES_TOKEN } from '../core/tokens';
import { AnnotationSessionsService } from '../analytics/annotation-sessions.service';
import type { AuthContext } from '../auth/auth-context';
import { promptRow } from './job-rows';
import { JobsRepository } from './jobs.repository';
import { checkFrameInJob, checkPromptAgainstVideo } from './prompt-checks';
import type { FrameRange } from '@masklet/masklets';
import { RoundBodySchema, type RoundBody, type RoundList, type RoundView } from '@masklet/contract';
import { traceCarrier } from '@masklet/telemetry';

export function toRoundView(r: Round): RoundView {
  return {
    jobId: r.jobId,
    number: r.number,
    status: r.status,
    direction: r.direction,
    apiKeyId: r.apiKeyId,
    changedFrames: r.changedFrames,
    changedObjects: r.changedObjects,
    removedObjects: r.removedObjects,
    framesRecomputed: r.framesRecomputed,
    meanIouDelta: r.meanIouDelta,
    stats: r.stats ?? null,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Correction rounds. One round at a time per job: while the job's current round is QUEUED or RUNNING a
 * new request is refused with 409 ROUND_IN_PROGRESS (the check and the switch to the new round are one
 * conditional UPDATE, so two concurrent requests cannot both win).
 */
@Injectable()
export class RoundsService {
  constructor(
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(AnnotationSessionsService) private readonly sessions: AnnotationSessionsService,
  ) {}

  async list(tenantId: string, jobId: string): Promise<RoundList> {
    const job = await this.mustFind(tenantId, jobId);
    const rows = await this.prisma.round.findMany({ where: { jobId: job.id }, orderBy: { number: 'asc' } });
    return { items: rows.map(toRoundView) };
  }

  async create(auth: AuthContext, jobId: string, raw: unknown): Promise<RoundView> {
    const parsed = RoundBodySchema.safeParse(raw ?? {});
    if (!parsed.success) throw validationError(zodIssues(parsed.error));
    const body = parsed.data;
    const job = await this.mustFind(auth.tenantId, jobId);
    if (job.status === 'QUEUED' || job.status === 'RUNNING') throw inProgress(job);
    const base = await this.prisma.round.findFirst({
      where: { jobId: job.id, status: 'SUCCEEDED' },
      orderBy: { number: 'desc' },
    });
    if (!base)
      throw new ApiError(
        409,
        'JOB_NOT_CORRECTABLE',
        `job ${job.id} has no SUCCEEDED round to correct (it is ${job.status})`,
      );
    const video = await this.prisma.video.findUniqueOrThrow({ where: { id: job.videoId } });
    const objects = await this.prisma.jobObject.findMany({ where: { jobId: job.id } });
    this.check(body, video, { start: job.frameStart, end: job.frameEnd }, objects);

    const number = job.currentRound + 1;
    const changedFrames = [
      ...new Set([
        ...body.corrections.map((c) => c.frame),
        ...body.addObjects.flatMap((o) => o.prompts.map((p) => p.frame)),
      ]),
    ].sort((a, b) => a - b);
    const changedObjects = [
      ...new Set([...body.corrections.map((c) => c.objectId), ...body.addObjects.map((o) => o.id)]),
    ].sort((a, b) => a - b);
    const removedObjects = [...new Set(body.removeObjects)].sort((a, b) => a - b);
    const prompts: Prisma.PromptCreateManyInput[] = [
      ...body.corrections.map(({ objectId, ...p }) => promptRow(job.id, objectId, p, number)),
      ...body.addObjects.flatMap((o) => o.prompts.map((p) => promptRow(job.id, o.id, p, number))),
    ];
    const round = await this.prisma.$transaction(async (tx) => {
      const switched = await tx.job.updateMany({
        where: { id: job.id, currentRound: job.currentRound, status: { notIn: ['QUEUED', 'RUNNING'] } },
        data: { currentRound: number, status: 'QUEUED', finishedAt: null, errorCode: null, error: null },
      });
      if (switched.count !== 1) return null;
      const committedAt = new Date();
      const effort = await this.sessions.closeInto(tx, {
        jobId: job.id,
        apiKeyId: auth.apiKeyId,
        round: number,
        committedAt,
        prompts,
        changedFrames,
      });
      const r = await tx.round.create({
        data: {
          jobId: job.id,
          number,
          status: 'QUEUED',
          direction: body.direction,
          apiKeyId: auth.apiKeyId,
          changedFrames,
          changedObjects,
          removedObjects,
          createdAt: committedAt,
          ...effort,
        },
      });
      if (body.addObjects.length) {
        await tx.jobObject.createMany({
          data: body.addObjects.map((o) => ({
            jobId: job.id,
            objectId: o.id,
            label: o.label ?? null,
            createdInRound: number,
          })),
        });
      }
      if (removedObjects.length)
        await tx.jobObject.updateMany({
          where: { jobId: job.id, objectId: { in: removedObjects } },
          data: { removedInRound: number },
        });
      if (prompts.length) await tx.prompt.createMany({ data: prompts });
      return r;
    });
    if (!round) {
      const now = (await this.jobs.findForTenant(auth.tenantId, job.id))!;
      throw inProgress(now);
    }
    try {
      const data: SegmentPayload = { jobId: job.id, tenantId: auth.tenantId, round: number, ...traceCarrier() };
      await this.queues
        .segmentFor(job.model)
        .add(QUEUES.segment, data, segmentJobOptions(segmentJobId(job.id, number), fairPriority(0, job.priority)));
    } catch (err) {
      this.log.error({ err, jobId: job.id, round: number }, 'enqueue of a round failed');
      const message = 'queueing failed: the job queue was unavailable';
      await this.prisma.$transaction([
        this.prisma.round.updateMany({
          where: { jobId: job.id, number },
          data: { status: 'FAILED', error: message, finishedAt: new Date() },
        }),
        this.prisma.job.updateMany({
          where: { id: job.id, currentRound: number, status: 'QUEUED' },
          data: { status: 'FAILED', errorCode: 'ENQUEUE_FAILED', error: message, finishedAt: new Date() },
        }),
      ]);
      throw new ApiError(503, 'QUEUE_UNAVAILABLE', 'the job queue is unavailable; the round was not queued', {
        dependency: 'redis',
      });
    }
    return toRoundView(round);
  }

  /** Against the video (like job prompts), the job's frame range and the job's objects. */
  private check(
    body: RoundBody,
    video: { frameCount: number | null; width: number | null; height: number | null },
    range: FrameRange,
    objects: { objectId: number; removedInRound: number | null }[],
  ): void {
    const live = new Set(objects.filter((o) => o.removedInRound === null).map((o) => o.objectId));
    const known = new Set(objects.map((o) => o.objectId));
    const removing = new Set(body.removeObjects);
    const issues: Issue[] = [];
    body.corrections.forEach((c, i) => {
      const { objectId, ...p } = c;
      if (known.has(objectId) && !live.has(objectId))
        issues.push({
          path: `corrections[${i}].objectId`,
          code: 'OBJECT_REMOVED',
          message: `object ${objectId} was removed in an earlier round; add it again under a new id with addObjects`,
        });
      else if (!live.has(objectId))
        issues.push({
          path: `corrections[${i}].objectId`,
          code: 'UNKNOWN_OBJECT',
          message: `object ${objectId} is not tracked by this job; use addObjects for a new one`,
        });
      else if (removing.has(objectId))
        issues.push({
          path: `corrections[${i}].objectId`,
          code: 'OBJECT_REMOVED',
          message: `object ${objectId} is removed by this same round`,
        });
      issues.push(
        ...checkPromptAgainstVideo(p, video, `corrections[${i}]`, { allowEmptyMask: true }),
        ...checkFrameInJob(p.frame, range, `corrections[${i}].frame`),
      );
    });
    body.addObjects.forEach((o, i) => {
      if (known.has(o.id))
        issues.push({
          path: `addObjects[${i}].id`,
          code: 'DUPLICATE_OBJECT_ID',
          message: `object id ${o.id} is already used by this job`,
        });
      o.prompts.forEach((p, k) =>
        issues.push(
          ...checkPromptAgainstVideo(p, video, `addObjects[${i}].prompts[${k}]`),
          ...checkFrameInJob(p.frame, range, `addObjects[${i}].prompts[${k}].frame`),
        ),
      );
    });
    body.removeObjects.forEach((id, i) => {
      if (!live.has(id))
        issues.push({
          path: `removeObjects[${i}]`,
          code: 'UNKNOWN_OBJECT',
          message: `object ${id} is not tracked by this job`,
        });
    });
    const seen = new Set<string>();
    const distinct = issues.filter((i) => !seen.has(`${i.path}|${i.code}`) && seen.add(`${i.path}|${i.code}`));
    if (distinct.length) {
      const err = validationError(distinct);
      throw new ApiError(422, err.code, err.message, err.details);
    }
  }

  private async mustFind(tenantId: string, id: string): Promise<Job> {
    const job = await this.jobs.findForTenant(tenantId, id);
    if (!job) throw notFound('job', id);
    return job;
  }
}

function inProgress(job: Job): ApiError {
  return new ApiError(
    409,
    'ROUND_IN_PROGRESS',
    `job ${job.id} round ${job.currentRound} is ${job.status}; wait for it to finish (or cancel it) before requesting another round`,
  );
}
