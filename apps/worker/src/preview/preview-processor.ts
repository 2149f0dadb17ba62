/**
 * Consumer of one model's preview queue (previewQueueName): the API's interactive previews, answered
 * by a worker that holds the model so that no API process ever loads one. A small LRU of sessions
 * (PREVIEW_SESSIONS) per engine: a job's restored from the end checkpoint of the round the API names
 * (kept while that round is still the latest), a video's fresh. The engine undoes each preview's
 * prompt (EngineSession.preview), so the next one starts from the stored state again.
 */
import { join } from 'node:path';
import type { Processor } from 'bullmq';
import { EngineInputError } from '@masklet/engine';
import { rleToString } from '@masklet/masks';
import { CheckpointStore, jobSessionOptions } from '@masklet/masklets';
import { parsePayload, PreviewPayload, type PreviewReply } from '@masklet/queue';
import type { Engine } from '../engine/engine-port';
import type { WorkerContext } from '../runtime/context';
import { PreviewSessionCache } from './preview-session-cache';

export interface PreviewConsumer {
  processor: Processor<unknown, PreviewReply>;
  close(): Promise<void>;
}

export function previewConsumer(ctx: WorkerContext, engine: Engine): PreviewConsumer {
  const { config, log } = ctx;
  const checkpoints = new CheckpointStore(ctx.redis, ctx.store, config.CHECKPOINT_TTL_SECONDS);
  const sessions = new PreviewSessionCache<number | null>(
    engine,
    ctx.store,
    () => config.PREVIEW_SESSIONS,
    join(config.WORKER_SCRATCH_DIR, 'preview-'),
  );

  const processor: Processor<unknown, PreviewReply> = async (bull) => {
    const p = parsePayload(PreviewPayload, bull.data, 'preview');
    const job = p.job;
    const round = job?.round ?? null;
    const key = job ? `job:${job.id}` : `video:${p.video.id}`;
    const entry = await sessions.get(key, round, p.video, async (source) => {
      const ckpt = job && round !== null ? await checkpoints.load(p.tenantId, job.id, round, 'end') : null;
      log.info(
        { jobId: job?.id, videoId: p.video.id, round, checkpoint: ckpt?.source ?? null },
        'preview session opened',
      );
      return engine.open(source, jobSessionOptions(job?.options ?? null), ckpt?.chain);
    });
    try {
      const result = await sessions.run(entry, (s) =>
        s.preview({
          frame: p.frame,
          objectId: p.objectId,
          points: p.points,
          box: p.box,
          mode: job ? 'refine' : 'fresh',
        }),
      );
      const mask = result.objects.find((o) => o.objectId === p.objectId);
      if (!mask) throw new Error(`the engine answered frame ${p.frame} without object ${p.objectId}`);
      return {
        ok: true,
        rle: { size: mask.rle.size, counts: rleToString(mask.rle.counts) },
        area: mask.area,
        bbox: mask.bbox,
        score: Number(mask.objectScore.toFixed(4)),
      };
    } catch (err) {
      if (err instanceof EngineInputError) return { ok: false, code: err.code, message: err.message };
      throw err;
    }
  };
  return { processor, close: () => sessions.closeAll() };
}
