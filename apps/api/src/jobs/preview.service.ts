import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { modelManifestPath, type MaskletConfig } from '@masklet/config';
import type { Job, PrismaClient } from '@masklet/db';
import {
  EngineInputError,
  parseProviders,
  restoreSession,
  SamModel,
  VideoSession,
  type FrameResult,
} from '@masklet/engine';
import { fromCocoRle, rleToString, writeIndexedPng } from '@masklet/masks';
import { CheckpointStore, jobSessionOptions } from '@masklet/masklets';
import type { ObjectStore } from '@masklet/storage';
import type { FrameSource } from '@masklet/video';
import { ApiError } from '../common/api-error';
import { validationError, type Issue } from '../common/zod-validation.pipe';
import { CONFIG, LOGGER, OBJECT_STORE, PRISMA, REDIS } from '../core/tokens';
import { PreviewSessionCache } from './preview-session-cache';
import type { PreviewBody, PreviewResult } from '@masklet/contract';

/**
 * Interactive preview: the mask a click would give on one frame, without propagating and without
 * changing any stored state. The model is loaded once per API process, lazily (first preview). A
 * small LRU (PREVIEW_SESSIONS) keeps per-job sessions restored from the end checkpoint of the job's
 * latest SUCCEEDED round (a fresh session when there is none); each preview appends the clicks to the
 * object's clicks on that frame (as a correction round would), answers, and then puts the frame's
 * prompt state back exactly as it was, so the next preview starts from the stored state again.
 */
@Injectable()
export class PreviewService implements OnModuleDestroy {
  private model: Promise<SamModel> | null = null;
  private readonly sessions: PreviewSessionCache<number | null>;
  private readonly checkpoints: CheckpointStore;

  constructor(
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) redis: Redis,
    @Inject(OBJECT_STORE) store: ObjectStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.checkpoints = new CheckpointStore(redis, store, config.CHECKPOINT_TTL_SECONDS);
    this.sessions = new PreviewSessionCache(store, () => config.PREVIEW_SESSIONS, 'masklet-preview-');
  }

  /** The API process's one model, shared with the video preview (VideoPreviewService). */
  loadModel(): Promise<SamModel> {
    if (!this.model) {
      this.model = (async () =>
        SamModel.load(modelManifestPath(this.config), {
          runtime: { providers: parseProviders(this.config.MASKLET_PROVIDERS) },
        }))();
      this.model.catch(() => (this.model = null));
    }
    return this.model;
  }

  async preview(job: Job, body: PreviewBody): Promise<PreviewResult> {
    const t0 = performance.now();
    const video = await this.prisma.video.findUniqueOrThrow({ where: { id: job.videoId } });
    const issues: Issue[] = [];
    const frames = video.frameCount ?? 0;
    const w = video.width ?? 0;
    const h = video.height ?? 0;
    if (body.frame >= frames)
      issues.push({
        path: 'frame',
        code: 'FRAME_OUT_OF_RANGE',
        message: `frame ${body.frame} is outside the video (frames 0..${frames - 1})`,
      });
    (body.points ?? []).forEach((p, k) => {
      if (p.x < 0 || p.y < 0 || p.x >= w || p.y >= h)
        issues.push({
          path: `points[${k}]`,
          code: 'POINT_OUTSIDE_FRAME',
          message: `point (${p.x}, ${p.y}) is outside the ${w}x${h} frame`,
        });
    });
    const obj = await this.prisma.jobObject.findUnique({
      where: { jobId_objectId: { jobId: job.id, objectId: body.objectId } },
    });
    if (obj?.removedInRound != null)
      issues.push({
        path: 'objectId',
        code: 'UNKNOWN_OBJECT',
        message: `object ${body.objectId} was removed in round ${obj.removedInRound}`,
      });
    if (
      body.box &&
      (body.box.x0 < 0 ||
        body.box.y0 < 0 ||
        body.box.x1 > w ||
        body.box.y1 > h ||
        body.box.x1 <= body.box.x0 ||
        body.box.y1 <= body.box.y0)
    ) {
      issues.push({
        path: 'box',
        code: 'BOX_OUTSIDE_FRAME',
        message: `box (${body.box.x0}, ${body.box.y0}, ${body.box.x1}, ${body.box.y1}) must lie inside the ${w}x${h} frame with x1 > x0 and y1 > y0`,
      });
    }
    if (issues.length) {
      const err = validationError(issues);
      throw new ApiError(422, err.code, err.message, err.details);
    }
    const latest = await this.prisma.round.findFirst({
      where: { jobId: job.id, status: 'SUCCEEDED' },
      orderBy: { number: 'desc' },
      select: { number: true },
    });
    const round = latest?.number ?? null;
    const entry = await this.sessions.get(job.id, round, video, (source) => this.openSession(job, source, round));
    const result = await this.sessions.run(entry, (session) => this.click(session, body));
    const mask = result.objects.find((o) => o.objectId === body.objectId)!;
    return {
      frame: body.frame,
      objectId: body.objectId,
      round: entry.tag,
      rle: { size: mask.rle.size, counts: rleToString(mask.rle.counts) },
      area: mask.area,
      bbox: mask.bbox,
      score: Number(mask.objectScore.toFixed(4)),
      ms: Math.round(performance.now() - t0),
    };
  }

  png(result: PreviewResult): Buffer {
    const [h, w] = result.rle.size;
    const labels = new Uint8Array(w * h);
    const mask = fromCocoRle(result.rle);
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) labels[i] = Math.min(255, result.objectId);
    return writeIndexedPng(labels, w, h);
  }

  /** The prompt on the session (as applyPrompts would give it), then the frame's prompt state of the object restored (or the new object dropped). */
  private async click(s: VideoSession, body: PreviewBody): Promise<FrameResult> {
    const existing = s.tracks.get(body.objectId);
    const saved = existing
      ? {
          points: existing.points.get(body.frame),
          mask: existing.maskFrames.has(body.frame),
          tempCond: existing.tempCond.get(body.frame),
          tempNonCond: existing.tempNonCond.get(body.frame),
        }
      : null;
    try {
      return body.box
        ? await s.addBox(body.frame, body.objectId, body.box, body.points ?? [])
        : await s.addPoints(body.frame, body.objectId, body.points ?? [], { clearOld: false });
    } catch (err) {
      if (err instanceof EngineInputError) throw new ApiError(422, 'PREVIEW_REJECTED', `${err.code}: ${err.message}`);
      throw err;
    } finally {
      if (!saved) {
        const t = s.tracks.get(body.objectId);
        if (t) {
          t.clearAll();
          s.tracks.delete(body.objectId);
        }
      } else {
        const t = existing!;
        const put = <V>(m: Map<number, V>, v: V | undefined): void => {
          if (v === undefined) m.delete(body.frame);
          else m.set(body.frame, v);
        };
        put(t.points, saved.points);
        put(t.tempCond, saved.tempCond);
        put(t.tempNonCond, saved.tempNonCond);
        if (saved.mask) t.maskFrames.add(body.frame);
        else t.maskFrames.delete(body.frame);
      }
    }
  }

  /** The job's state as of `round` (its end checkpoint), or a fresh session before any round succeeded. */
  private async openSession(job: Job, source: FrameSource, round: number | null): Promise<VideoSession> {
    const model = await this.loadModel();
    const ckpt = round === null ? null : await this.checkpoints.load(job.tenantId, job.id, round, 'end');
    const options = jobSessionOptions(job.options);
    this.log.info({ jobId: job.id, round, checkpoint: ckpt?.source ?? null }, 'preview session opened');
    return ckpt ? restoreSession(model, source, ckpt.chain, options) : new VideoSession(model, source, options);
  }

  async onModuleDestroy(): Promise<void> {
    await this.sessions.closeAll();
    const m = this.model ? await this.model.catch(() => null) : null;
    this.model = null;
    await m?.release();
  }
}
