import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { MaskletConfig } from '@masklet/config';
import type { Video } from '@masklet/db';
import { EngineInputError, VideoSession, type FrameResult } from '@masklet/engine';
import { rleToString } from '@masklet/masks';
import { parseS3Uri, type ObjectStore } from '@masklet/storage';
import { openVideoFile, type FrameSource } from '@masklet/video';
import { ApiError } from '../common/api-error';
import { validationError } from '../common/zod-validation.pipe';
import { CONFIG, LOGGER, OBJECT_STORE } from '../core/tokens';
import { checkPromptAgainstVideo } from './prompt-checks';
import { PreviewService } from './preview.service';
import type { VideoPreviewBody } from './video-preview.schema';

export interface VideoPreviewResult {
  frame: number;
  objectId: number;
  /** Always null: a video preview starts from no job state. */
  round: null;
  rle: { size: [number, number]; counts: string };
  area: number;
  bbox: [number, number, number, number] | null;
  score: number;
  ms: number;
}

interface Entry {
  videoId: string;
  dir: string;
  source: FrameSource;
  session: VideoSession;
  /** Calls on one session run one after another (the engine refuses concurrent calls). */
  tail: Promise<unknown>;
}

/**
 * The instant preview before a job exists: the mask a prompt gives on one frame of a video. One engine
 * session per video in a small LRU (PREVIEW_SESSIONS; the image features of frames already looked at
 * stay cached), on the API process's one model (PreviewService's). Each preview prompts an object that
 * the session holds no other prompt for (clicks so far plus the box, clearOld) and drops the object
 * again, so the answer is exactly what round 1 of a job submitted with the same prompt computes on
 * that frame: a first prompt is decoded without memory, from the frame alone.
 */
@Injectable()
export class VideoPreviewService implements OnModuleDestroy {
  private readonly entries = new Map<string, Promise<Entry>>();

  constructor(
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(PreviewService) private readonly models: PreviewService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async preview(video: Video, body: VideoPreviewBody): Promise<VideoPreviewResult> {
    const t0 = performance.now();
    if (video.status !== 'READY' || !video.frameCount) throw new ApiError(409, 'VIDEO_NOT_READY', `video ${video.id} is ${video.status}`);
    const { objectId, ...prompt } = body;
    const issues = checkPromptAgainstVideo(prompt, video, '');
    if (issues.length) {
      const err = validationError(issues.map((i) => ({ ...i, path: i.path.replace(/^\./, '') })));
      throw new ApiError(422, err.code, err.message, err.details);
    }
    const entry = await this.entry(video);
    const run = entry.tail.then(() => this.prompt(entry.session, body));
    entry.tail = run.catch(() => undefined);
    const result = await run;
    const mask = result.objects.find((o) => o.objectId === objectId)!;
    return {
      frame: body.frame,
      objectId,
      round: null,
      rle: { size: mask.rle.size, counts: rleToString(mask.rle.counts) },
      area: mask.area,
      bbox: mask.bbox,
      score: Number(mask.objectScore.toFixed(4)),
      ms: Math.round(performance.now() - t0),
    };
  }

  private async prompt(session: VideoSession, body: VideoPreviewBody): Promise<FrameResult> {
    // A leftover object (a request that failed half-way) would make this prompt a refinement.
    if (session.tracks.has(body.objectId)) await session.removeObject(body.objectId);
    try {
      return await session.addPoints(body.frame, body.objectId, body.points ?? [], { clearOld: true, ...(body.box ? { box: body.box } : {}) });
    } catch (err) {
      if (err instanceof EngineInputError) throw new ApiError(422, 'PREVIEW_REJECTED', `${err.code}: ${err.message}`);
      throw err;
    } finally {
      if (session.tracks.has(body.objectId)) await session.removeObject(body.objectId);
    }
  }

  private entry(video: Video): Promise<Entry> {
    const current = this.entries.get(video.id);
    if (current) {
      this.entries.delete(video.id);
      this.entries.set(video.id, current); // most recently used last
      return current;
    }
    const created = this.open(video);
    this.entries.set(video.id, created);
    created.catch(() => this.entries.delete(video.id));
    while (this.entries.size > this.config.PREVIEW_SESSIONS) {
      const [oldest, p] = this.entries.entries().next().value as [string, Promise<Entry>];
      this.entries.delete(oldest);
      void p.then((e) => e.tail.then(() => this.close(e))).catch(() => undefined);
    }
    return created;
  }

  private async open(video: Video): Promise<Entry> {
    const model = await this.models.loadModel();
    const dir = await mkdtemp(join(tmpdir(), 'masklet-video-preview-'));
    try {
      const loc = video.sourceUri ? parseS3Uri(video.sourceUri) : null;
      const path = join(dir, 'video');
      if (loc) await this.store.forBucket(loc.bucket).downloadToFile(loc.key, path);
      else await this.store.downloadToFile(video.s3Key, path);
      const source = await openVideoFile(path);
      const session = new VideoSession(model, source);
      this.log.info({ videoId: video.id }, 'video preview session opened');
      return { videoId: video.id, dir, source, session, tail: Promise.resolve() };
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  private async close(e: Entry): Promise<void> {
    await e.session.close().catch(() => undefined);
    await e.source.close().catch(() => undefined);
    await rm(e.dir, { recursive: true, force: true }).catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const p of all) {
      const e = await p.catch(() => null);
      if (e) await e.tail.then(() => this.close(e));
    }
  }
}
