import { join } from 'node:path';
import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import { exportFormatOfKind } from '@masklet/contract';
import { exportKey } from '@masklet/masklets';
import { ExportPayload, parsePayload, QUEUES } from '@masklet/queue';
import type { WorkerContext } from '../runtime/context';
import { classifyError } from '../runtime/errors';
import { announceRoundWhenExported } from './announce-round';
import { Categories } from './categories';
import { RoundMasks } from './round-masks';
import { EXPORT_WRITERS } from './writers';

/**
 * export: builds one artifact from a round's chunks with its format's writer and records it on its
 * Export row (RUNNING -> SUCCEEDED with s3Key, bytes and sha256, or FAILED). Once every export the
 * job asked for of that round is finished, the round's webhook goes out carrying them.
 */
export function exportProcessor(ctx: WorkerContext) {
  return async (bull: BullJob): Promise<{ key: string; bytes: number }> => {
    let payload: ExportPayload;
    try {
      payload = parsePayload(ExportPayload, bull.data, QUEUES.export);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    const log = ctx.log.child({
      queue: QUEUES.export,
      exportId: payload.exportId,
      jobId: payload.jobId,
      kind: payload.kind,
    });
    const row = await ctx.prisma.export.findUnique({
      where: { id: payload.exportId },
      include: { job: { include: { video: true, objects: true } } },
    });
    if (!row || row.jobId !== payload.jobId || row.job.tenantId !== payload.tenantId)
      throw new UnrecoverableError(`export ${payload.exportId} does not exist`);
    await ctx.prisma.export.update({ where: { id: row.id }, data: { status: 'RUNNING', error: null } });
    const format = exportFormatOfKind(payload.kind);
    const key = exportKey(payload.tenantId, payload.jobId, payload.round, format.fileName);
    const started = performance.now();
    try {
      const masks = await RoundMasks.open(ctx.prisma, ctx.store, payload.jobId, payload.round);
      // The round's objects: created by then and not removed by then.
      const objects = row.job.objects.filter(
        (o) => o.createdInRound <= payload.round && (o.removedInRound === null || o.removedInRound > payload.round),
      );
      const stored = await EXPORT_WRITERS[payload.kind]({
        masks,
        meta: {
          jobId: row.jobId,
          videoId: row.job.videoId,
          videoName: row.job.video.filename,
          round: payload.round,
          fps: row.job.video.fps,
          videoFrames: row.job.video.frameCount,
          categories: new Categories(objects),
        },
        store: ctx.store,
        key,
        contentType: format.contentType,
        openVideo: () => ctx.videos.acquire(row.job.video),
        scratchDir: join(ctx.config.WORKER_SCRATCH_DIR, 'exports'),
      });
      await ctx.prisma.export.update({
        where: { id: row.id },
        data: {
          status: 'SUCCEEDED',
          s3Key: stored.key,
          bytes: BigInt(stored.bytes),
          sha256: stored.sha256,
          finishedAt: new Date(),
          error: null,
        },
      });
      log.info({ key, bytes: stored.bytes, ms: Math.round(performance.now() - started) }, 'export written');
      await announceRoundWhenExported(ctx, payload.jobId, payload.round);
      return { key, bytes: stored.bytes };
    } catch (err) {
      const c = classifyError(err, 'setup');
      const last = !c.retryable || bull.attemptsMade + 1 >= (bull.opts.attempts ?? 1);
      log.error({ err, code: c.code, last }, 'export failed');
      await ctx.prisma.export.update({
        where: { id: row.id },
        data: {
          status: last ? 'FAILED' : 'QUEUED',
          error: `${c.code}: ${c.message}`.slice(0, 2000),
          ...(last ? { finishedAt: new Date() } : {}),
        },
      });
      if (last) {
        await announceRoundWhenExported(ctx, payload.jobId, payload.round).catch((e: unknown) =>
          log.warn({ err: e }, 'round webhook not queued'),
        );
        throw new UnrecoverableError(`${c.code}: ${c.message}`);
      }
      throw err;
    }
  };
}
