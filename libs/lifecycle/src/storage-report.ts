import type { PrismaClient } from '@masklet/db';
import type { ObjectStore } from '@masklet/storage';
import { jobS3Prefixes } from './purge-keys';

export interface JobStorageReport {
  jobId: string;
  frames: number;
  objects: number;
  rounds: number;
  bytes: { checkpoints: number; masks: number; exports: number };
  /** Checkpoint bytes / (frames of the job x objects): the figure the README quotes. */
  checkpointBytesPerFrameObject: number;
}

/** What one job keeps in S3, by kind (one HEAD per object: a report, not a hot path). */
export async function jobStorageReport(
  prisma: PrismaClient,
  store: ObjectStore,
  jobId: string,
): Promise<JobStorageReport> {
  const job = await prisma.job.findUniqueOrThrow({
    where: { id: jobId },
    select: { tenantId: true, framesTotal: true, currentRound: true },
  });
  const objects = await prisma.jobObject.count({ where: { jobId } });
  const bytes = { checkpoints: 0, masks: 0, exports: 0 };
  for (const prefix of jobS3Prefixes(job.tenantId, jobId)) {
    for (const key of await store.list(prefix)) {
      const size = (await store.head(key))?.bytes ?? 0;
      if (key.includes('/checkpoints/')) bytes.checkpoints += size;
      else if (key.includes('/exports/')) bytes.exports += size;
      else bytes.masks += size;
    }
  }
  const cells = Math.max(1, job.framesTotal * objects);
  return {
    jobId,
    frames: job.framesTotal,
    objects,
    rounds: job.currentRound,
    bytes,
    checkpointBytesPerFrameObject: Math.round(bytes.checkpoints / cells),
  };
}
