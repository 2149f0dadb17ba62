import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import { exportKey } from '@masklet/masklets';
import { ExportPayload, parsePayload, QUEUES } from '@masklet/queue';
import type { StoredObject } from '@masklet/storage';
import type { WorkerContext } from '../runtime/context';
import { classifyError } from '../runtime/errors';
import { writeCocoJson } from './coco-json';
import { writeDavisZip } from './davis-zip';
import { writeOverlayMp4 } from './overlay-mp4';
import { RoundMasks } from './round-masks';

export const EXPORT_FILE_NAMES = { DAVIS_PNG_ZIP: 'masks-davis.zip', OVERLAY_MP4: 'overlay.mp4', COCO_JSON: 'annotations-coco.json' } as const;

/** export: builds one artifact from a round's chunks and records it on its Export row (RUNNING -> SUCCEEDED with s3Key and bytes, or FAILED). */
export function exportProcessor(ctx: WorkerContext) {
  return async (bull: BullJob): Promise<{ key: string; bytes: number }> => {
    let payload: ExportPayload;
    try {
      payload = parsePayload(ExportPayload, bull.data, QUEUES.export);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    const log = ctx.log.child({ queue: QUEUES.export, exportId: payload.exportId, jobId: payload.jobId, kind: payload.kind });
    const row = await ctx.prisma.export.findUnique({ where: { id: payload.exportId }, include: { job: { include: { video: true, objects: true } } } });
    if (!row || row.jobId !== payload.jobId || row.job.tenantId !== payload.tenantId) throw new UnrecoverableError(`export ${payload.exportId} does not exist`);
    await ctx.prisma.export.update({ where: { id: row.id }, data: { status: 'RUNNING', error: null } });
    const key = exportKey(payload.tenantId, payload.jobId, payload.round, EXPORT_FILE_NAMES[payload.kind]);
    const started = performance.now();
    try {
      const masks = await RoundMasks.open(ctx.prisma, ctx.store, payload.jobId, payload.round);
      let stored: StoredObject;
      if (payload.kind === 'DAVIS_PNG_ZIP') {
        stored = await writeDavisZip(masks, ctx.store, key);
      } else if (payload.kind === 'COCO_JSON') {
        const labels = new Map(row.job.objects.map((o) => [o.objectId, o.label] as const));
        stored = await writeCocoJson(masks, { jobId: row.jobId, videoId: row.job.videoId, round: payload.round, fps: row.job.video.fps, labels }, ctx.store, key);
      } else {
        const video = await ctx.videos.acquire(row.job.video);
        try {
          const scratch = join(ctx.config.WORKER_SCRATCH_DIR, 'exports');
          await mkdir(scratch, { recursive: true });
          stored = await writeOverlayMp4(masks, video.path, scratch, ctx.store, key);
        } finally {
          video.release();
        }
      }
      await ctx.prisma.export.update({ where: { id: row.id }, data: { status: 'SUCCEEDED', s3Key: stored.key, bytes: BigInt(stored.bytes), finishedAt: new Date(), error: null } });
      log.info({ key, bytes: stored.bytes, ms: Math.round(performance.now() - started) }, 'export written');
      return { key, bytes: stored.bytes };
    } catch (err) {
      const c = classifyError(err, 'setup');
      const last = !c.retryable || bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1);
      log.error({ err, code: c.code, last }, 'export failed');
      await ctx.prisma.export.update({ where: { id: row.id }, data: { status: last ? 'FAILED' : 'QUEUED', error: `${c.code}: ${c.message}`.slice(0, 2000), ...(last ? { finishedAt: new Date() } : {}) } });
      if (last) throw new UnrecoverableError(`${c.code}: ${c.message}`);
      throw err;
    }
  };
}
