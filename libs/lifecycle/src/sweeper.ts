import type { PrismaClient } from '@masklet/db';
import type { ObjectStore } from '@masklet/storage';
import { JobStillRunningError, type EntityPurger } from './entity-purger';

export interface SweepSettings {
  /** Platform default retention in days; undefined keeps data unless a tenant sets retentionDays. */
  retentionDays: number | undefined;
  pendingUploadTtlSeconds: number;
  /** Rows handled per kind per sweep, so one sweep stays bounded; the next sweep continues. */
  batch?: number;
}

export interface SweepResult {
  jobs: number;
  videos: number;
  pendingVideos: number;
  multipartUploads: number;
}

const DAY_MS = 86_400_000;

/**
 * One retention pass: jobs and videos older than their tenant's retention (or the platform default),
 * videos still PENDING past the upload TTL, and multipart uploads under tenants/ older than that TTL
 * (a cut upload leaves its parts in S3 until aborted). A job still stopping is left for the next pass.
 */
export async function sweepOnce(
  prisma: PrismaClient,
  store: ObjectStore,
  purger: EntityPurger,
  s: SweepSettings,
  now = new Date(),
): Promise<SweepResult> {
  const batch = s.batch ?? 500;
  const result: SweepResult = { jobs: 0, videos: 0, pendingVideos: 0, multipartUploads: 0 };
  const tenants = await prisma.tenant.findMany({ select: { id: true, retentionDays: true } });
  for (const t of tenants) {
    const days = t.retentionDays ?? s.retentionDays;
    if (days === undefined) continue;
    const before = new Date(now.getTime() - days * DAY_MS);
    const jobs = await prisma.job.findMany({
      where: { tenantId: t.id, createdAt: { lt: before } },
      select: { id: true },
      take: batch,
    });
    for (const j of jobs) if (await tolerated(purger.purgeJob(t.id, j.id))) result.jobs++;
    const videos = await prisma.video.findMany({
      where: { tenantId: t.id, createdAt: { lt: before } },
      select: { id: true },
      take: batch,
    });
    for (const v of videos) if (await tolerated(purger.purgeVideo(t.id, v.id))) result.videos++;
  }
  const pendingBefore = new Date(now.getTime() - s.pendingUploadTtlSeconds * 1000);
  const pending = await prisma.video.findMany({
    where: { status: 'PENDING', createdAt: { lt: pendingBefore } },
    select: { id: true, tenantId: true },
    take: batch,
  });
  for (const v of pending) if (await tolerated(purger.purgeVideo(v.tenantId, v.id))) result.pendingVideos++;
  for (const u of await store.listMultipartUploads('tenants/')) {
    if (u.initiated && u.initiated < pendingBefore) {
      await store.abortMultipartUpload(u.key, u.uploadId);
      result.multipartUploads++;
    }
  }
  return result;
}

async function tolerated(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (err instanceof JobStillRunningError) return false;
    throw err;
  }
}
