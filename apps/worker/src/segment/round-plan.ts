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
}

/**
 * Round 1 reads the job's initial prompts. A correction round (> 1) will reuse this loader, the
 * prompt applier and the chunk writer; it differs in which prompts it replays (earlier rounds' plus
 * its own) and which frames it recomputes — see loadRoundPlan's `round` argument.
 */
export async function loadRoundPlan(prisma: PrismaClient, jobId: string, tenantId: string, round: number): Promise<RoundPlan> {
  const job = await prisma.job.findUnique({
    where: { id: jobId },
    include: { video: { select: { id: true, s3Key: true, sourceUri: true, width: true, height: true, frameCount: true } }, tenant: { select: { webhookSecret: true } } },
  });
  // Missing: retried (an API that enqueues before its transaction commits must not lose the job; a deleted
  // job fails after the last attempt). Another tenant's job: refused at once and never touched.
  if (!job) throw new TransientJobError(`job ${jobId} not found (yet)`);
  if (job.tenantId !== tenantId) throw new PermanentJobError('not_found', `job ${jobId} of tenant ${tenantId} does not exist`);
  if (round !== 1) throw new PermanentJobError('unsupported_round', `round ${round}: correction rounds are not handled by this worker version`);
  const objects = await prisma.jobObject.findMany({ where: { jobId, createdInRound: { lte: round }, OR: [{ removedInRound: null }, { removedInRound: { gt: round } }] }, orderBy: { objectId: 'asc' } });
  const prompts = await prisma.prompt.findMany({ where: { jobId, round }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const { video, tenant, ...jobRow } = job;
  return {
    job: jobRow as Job,
    video,
    round,
    options: readJobOptions(job.options),
    objectIds: objects.map((o) => o.objectId),
    prompts,
    tenantWebhookSecret: tenant.webhookSecret,
  };
}
