import type { Job, Prompt, PrismaClient, Video } from '@masklet/db';
import { PermanentJobError, TransientJobError } from '../runtime/errors';
import { readJobOptions, type WorkerJobOptions } from './job-options';

/** Everything one propagation round needs, read from Postgres before any work starts. */
export interface RoundPlan {
  job: Job;
  video: Pick<Video, 'id' | 's3Key' | 'sourceUri' | 'width' | 'height' | 'frameCount'>;
  round: number;
  options: WorkerJobOptions;
  /** Live objects of the round (created at or before it, not removed). */
  objectIds: number[];
  /** Prompts given in this round, oldest first. */
  prompts: Prompt[];
  tenantWebhookSecret: string;
  /** Correction rounds: the SUCCEEDED round whose end checkpoint this one starts from (null for round 1). */
  baseRound: number | null;
  /** Objects removed in this round (correction rounds). */
  removedObjects: number[];
  /** Direction of this round (round 1: the job's; later: the request's). */
  direction: WorkerJobOptions['direction'];
  /** The Round row's status when the plan was read. */
  roundStatus: string | null;
}

/**
 * Round 1 reads the job's initial prompts. A correction round (> 1) reads only its own prompts: the
 * earlier rounds' state comes from the end checkpoint of its base round (the latest SUCCEEDED one).
 */
export async function loadRoundPlan(
  prisma: PrismaClient,
  jobId: string,
  tenantId: string,
  round: number,
): Promise<RoundPlan> {
  const job = await prisma.job.findUnique({
    where: { id: jobId },
    include: {
      video: { select: { id: true, s3Key: true, sourceUri: true, width: true, height: true, frameCount: true } },
      tenant: { select: { webhookSecret: true } },
    },
  });
  // Missing: retried (an API that enqueues before its transaction commits must not lose the job; a deleted
  // job fails after the last attempt). Another tenant's job: refused at once and never touched.
  if (!job) throw new TransientJobError(`job ${jobId} not found (yet)`);
  if (job.tenantId !== tenantId)
    throw new PermanentJobError('not_found', `job ${jobId} of tenant ${tenantId} does not exist`);
  const roundRow = await prisma.round.findUnique({ where: { jobId_number: { jobId, number: round } } });
  let baseRound: number | null = null;
  if (round > 1) {
    if (!roundRow) throw new TransientJobError(`round ${round} of job ${jobId} not found (yet)`);
    const base = await prisma.round.findFirst({
      where: { jobId, number: { lt: round }, status: 'SUCCEEDED' },
      orderBy: { number: 'desc' },
    });
    if (!base)
      throw new PermanentJobError(
        'bad_input.no_base_round',
        `round ${round} of job ${jobId} has no earlier SUCCEEDED round to correct`,
      );
    baseRound = base.number;
  }
  const objects = await prisma.jobObject.findMany({
    where: { jobId, createdInRound: { lte: round }, OR: [{ removedInRound: null }, { removedInRound: { gt: round } }] },
    orderBy: { objectId: 'asc' },
  });
  const options = readJobOptions(job.options);
  const direction =
    round > 1 && roundRow ? readJobOptions({ direction: roundRow.direction }).direction : options.direction;
  const prompts = await prisma.prompt.findMany({
    where: { jobId, round },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const { video, tenant, ...jobRow } = job;
  return {
    job: jobRow,
    video,
    round,
    options,
    objectIds: objects.map((o) => o.objectId),
    prompts,
    tenantWebhookSecret: tenant.webhookSecret,
    baseRound,
    removedObjects: round > 1 ? (roundRow?.removedObjects ?? []) : [],
    direction,
    roundStatus: roundRow?.status ?? null,
  };
}
