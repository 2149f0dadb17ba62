import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { MaskletConfig } from '@masklet/config';
import { videoKey } from '@masklet/masklets';
import { ingestJobId, QUEUES, type IngestPayload } from '@masklet/queue';
import { parseS3Uri, UploadTooLargeError, type ObjectStore } from '@masklet/storage';
import { frameJpeg, VideoDecodeError, type VideoProbe } from '@masklet/video';
import { ApiError, notFound } from '../common/api-error';
import { decodeCursor, encodeCursor } from '../common/keyset-cursor';
import type { QueueRegistry } from '../core/queues';
import { CONFIG, LOGGER, OBJECT_STORE, QUEUES_TOKEN } from '../core/tokens';
import { resolveIngestUri } from '../security/ingest-uri';
import { receiveMultipartFile } from './multipart-upload';
import { FrameRenderSlots } from './frame-render-slots';
import { checkVideoLimits, probeStoredVideo } from './video-probe';
import { toVideoView, type VideoView } from './video.view';
import type { VideoListQuery } from './video-list.schema';
import { VideosRepository } from './videos.repository';
import { traceCarrier } from '@masklet/telemetry';

@Injectable()
export class VideosService {
  private readonly renders: FrameRenderSlots;

  constructor(
    @Inject(VideosRepository) private readonly videos: VideosRepository,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(CONFIG) private readonly config: MaskletConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.renders = new FrameRenderSlots(config.FRAME_RENDER_CONCURRENCY, 16 * config.FRAME_RENDER_CONCURRENCY);
  }

  async upload(tenantId: string, req: Request): Promise<VideoView> {
    const id = randomUUID();
    const key = videoKey(tenantId, id);
    await this.videos.createPending({ id, tenantId, s3Key: key });
    let stored: Awaited<ReturnType<typeof receiveMultipartFile>>;
    try {
      stored = await receiveMultipartFile(req, this.store, key, this.config.MAX_UPLOAD_BYTES);
    } catch (err) {
      const apiErr =
        err instanceof UploadTooLargeError
          ? new ApiError(
              413,
              'UPLOAD_TOO_LARGE',
              `the upload exceeds MAX_UPLOAD_BYTES (${this.config.MAX_UPLOAD_BYTES} bytes)`,
            )
          : err;
      await this.videos
        .markFailed(id, apiErr instanceof Error ? apiErr.message : String(apiErr))
        .catch(() => undefined);
      await this.store.delete(key).catch(() => undefined);
      throw apiErr;
    }
    const what = `the uploaded file${stored.filename ? ` "${stored.filename}"` : ''}`;
    let probe: VideoProbe;
    try {
      probe = await probeStoredVideo(await this.store.presignGet(key, 900), what, this.config.FFPROBE_TIMEOUT_MS);
      checkVideoLimits(probe, this.config, what);
    } catch (err) {
      await this.videos
        .markFailed(id, (err as Error).message, { sizeBytes: stored.bytes, sha256: stored.sha256 })
        .catch(() => undefined);
      await this.store
        .delete(key)
        .catch((e: unknown) => this.log.warn({ err: e, key }, 'could not delete a rejected upload'));
      throw err;
    }
    return this.accept(tenantId, id, stored.bytes, stored.sha256, probe, {
      filename: stored.filename,
      contentType: stored.contentType,
    });
  }

  /** Registers an object that already lies in an ingest bucket/prefix (security/ingest-uri); nothing is copied. */
  async register(tenantId: string, uri: string): Promise<VideoView> {
    const loc = resolveIngestUri(uri, this.config, tenantId);
    const bucket = this.store.forBucket(loc.bucket);
    const head = await bucket.head(loc.key);
    if (!head) throw new ApiError(422, 'SOURCE_OBJECT_NOT_FOUND', `no object at ${uri}`);
    if (head.bytes > this.config.MAX_UPLOAD_BYTES) {
      throw new ApiError(
        413,
        'UPLOAD_TOO_LARGE',
        `${uri} has ${head.bytes} bytes; the limit is ${this.config.MAX_UPLOAD_BYTES}`,
      );
    }
    const id = randomUUID();
    await this.videos.createPending({
      id,
      tenantId,
      s3Key: loc.key,
      sourceUri: uri,
      filename: loc.key.split('/').pop() ?? loc.key,
    });
    try {
      const what = uri;
      const [probe, sha256] = await Promise.all([
        bucket.presignGet(loc.key, 900).then((url) => probeStoredVideo(url, what, this.config.FFPROBE_TIMEOUT_MS)),
        this.hashObject(bucket, loc.key),
      ]);
      checkVideoLimits(probe, this.config, what);
      return await this.accept(tenantId, id, head.bytes, sha256, probe, {});
    } catch (err) {
      await this.videos.markFailed(id, (err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  /** One frame as a JPEG (the dashboard's player), decoded by ffmpeg straight from a presigned URL. */
  async frame(tenantId: string, id: string, frame: number, maxWidth: number): Promise<Buffer> {
    const v = await this.videos.findForTenant(tenantId, id);
    if (!v) throw notFound('video', id);
    if (v.status !== 'READY' || !v.fps || !v.frameCount)
      throw new ApiError(409, 'VIDEO_NOT_READY', `video ${id} is ${v.status}`);
    if (frame >= v.frameCount)
      throw new ApiError(
        404,
        'FRAME_NOT_AVAILABLE',
        `frame ${frame} is past the video's last frame ${v.frameCount - 1}`,
      );
    const loc = v.sourceUri ? parseS3Uri(v.sourceUri) : null;
    const url = loc
      ? await this.store.forBucket(loc.bucket).presignGet(loc.key, 300)
      : await this.store.presignGet(v.s3Key, 300);
    const fps = v.fps;
    const timeoutMs = this.config.FRAME_RENDER_TIMEOUT_MS;
    return this.renders.run(async () => {
      try {
        return await frameJpeg(url, frame, { fps, maxWidth, timeoutMs });
      } catch (err) {
        if (err instanceof VideoDecodeError && err.code === 'timeout') {
          throw new ApiError(
            503,
            'FRAME_RENDER_TIMEOUT',
            `frame ${frame} was not rendered within FRAME_RENDER_TIMEOUT_MS (${timeoutMs} ms); retry later`,
          );
        }
        throw err;
      }
    });
  }

  async list(tenantId: string, q: VideoListQuery): Promise<{ items: VideoView[]; nextCursor: string | null }> {
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.videos.listForTenant(tenantId, {
      limit: q.limit,
      ...(q.status ? { status: q.status } : {}),
      ...(after ? { after } : {}),
    });
    const last = rows[rows.length - 1];
    return { items: rows.map(toVideoView), nextCursor: rows.length === q.limit && last ? encodeCursor(last) : null };
  }

  async get(tenantId: string, id: string): Promise<VideoView> {
    const v = await this.videos.findForTenant(tenantId, id);
    if (!v) throw notFound('video', id);
    return toVideoView(v);
  }

  private async accept(
    tenantId: string,
    id: string,
    bytes: number,
    sha256: string,
    probe: VideoProbe,
    _meta: { filename?: string | undefined; contentType?: string | undefined },
  ): Promise<VideoView> {
    const v = await this.videos.markReady(id, {
      sha256,
      sizeBytes: bytes,
      durationSec: probe.durationSec,
      fps: probe.fps,
      width: probe.width,
      height: probe.height,
      frameCount: probe.numFrames,
      codec: probe.codec,
    });
    if (_meta.filename !== undefined || _meta.contentType !== undefined) {
      // Names are informative only; store them without blocking the answer on failure.
      await this.videos.setNames(id, _meta.filename ?? null, _meta.contentType ?? null).catch(() => undefined);
      v.filename = _meta.filename ?? null;
      v.contentType = _meta.contentType ?? null;
    }
    const payload: IngestPayload = { videoId: id, tenantId, ...traceCarrier() };
    await this.queues.get(QUEUES.ingest).add(QUEUES.ingest, payload, {
      jobId: ingestJobId(id),
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return toVideoView(v);
  }

  private async hashObject(store: ObjectStore, key: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const part of await store.getStream(key)) hash.update(part as Buffer);
    return hash.digest('hex');
  }
}
