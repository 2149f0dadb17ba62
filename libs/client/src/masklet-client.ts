import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  BatchCreated,
  BatchView,
  ExportFormatName,
  ExportList,
  ExportView,
  JobList,
  JobListQuery,
  JobRequest,
  JobView,
  MaskletFrames,
  PreviewRequest,
  PreviewResult,
  RoundList,
  RoundRequest,
  RoundView,
  TracksView,
  VideoList,
  VideoPreviewRequest,
  VideoPreviewResult,
  VideoView,
} from '@masklet/contract';
import { multipartFileBody } from './multipart-body';
import { readServerSentEvents } from './sse';

export class MaskletApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'MaskletApiError';
  }
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** `?a=1&b=x` of the defined values ('' when none). */
function queryString(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    // Scalars only (a schema that coerces, like `limit`, types its input `unknown`).
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new TypeError(`query parameter ${k} must be a string, number or boolean`);
    }
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The API as its clients use it: bearer key, JSON in and out, errors as MaskletApiError. */
export class MaskletClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return this.parse<T>(res);
  }

  private async parse<T>(res: Response): Promise<T> {
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new MaskletApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? text);
    }
    return json as T;
  }

  /** Streams the file from disk into the API (multipart), never reading it whole. */
  async uploadVideo(path: string, contentType = 'video/mp4'): Promise<VideoView> {
    const { body, contentType: ct } = multipartFileBody(path, 'file', contentType);
    const res = await fetch(new URL('/v1/videos', this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': ct },
      body,
      duplex: 'half',
    });
    return this.parse<VideoView>(res);
  }

  listVideos(query: { status?: VideoView['status']; limit?: number; cursor?: string } = {}): Promise<VideoList> {
    return this.request<VideoList>('GET', `/v1/videos${queryString(query)}`);
  }

  /** The mask a prompt gives on one frame before any job exists (nothing stored). */
  previewVideo(videoId: string, body: VideoPreviewRequest): Promise<VideoPreviewResult> {
    return this.request<VideoPreviewResult>('POST', `/v1/videos/${videoId}/preview`, body);
  }

  createJob(job: JobRequest, idempotencyKey?: string): Promise<JobView> {
    return this.request<JobView>('POST', '/v1/jobs', job, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  createBatch(jobs: JobRequest[], name?: string): Promise<BatchCreated> {
    return this.request<BatchCreated>('POST', '/v1/batches', name === undefined ? { jobs } : { name, jobs });
  }

  getBatch(id: string): Promise<BatchView> {
    return this.request<BatchView>('GET', `/v1/batches/${id}`);
  }

  getJob(id: string): Promise<JobView> {
    return this.request<JobView>('GET', `/v1/jobs/${id}`);
  }

  /** A page of jobs, newest first; pass the answer's nextCursor as `cursor` for the next page. */
  listJobs(query: JobListQuery = {}): Promise<JobList> {
    return this.request<JobList>('GET', `/v1/jobs${queryString(query)}`);
  }

  /** Per object the [start, end) runs of frames where it is present, and its prompt frames. */
  tracks(jobId: string): Promise<TracksView> {
    return this.request<TracksView>('GET', `/v1/jobs/${jobId}/tracks`);
  }

  /** A correction round on the latest SUCCEEDED round (queued: wait for the job to finish it). */
  createRound(jobId: string, body: RoundRequest): Promise<RoundView> {
    return this.request<RoundView>('POST', `/v1/jobs/${jobId}/rounds`, body);
  }

  listRounds(jobId: string): Promise<RoundList> {
    return this.request<RoundList>('GET', `/v1/jobs/${jobId}/rounds`);
  }

  /** The mask clicks would give on one frame of the job's latest SUCCEEDED round (nothing stored). */
  preview(jobId: string, body: PreviewRequest): Promise<PreviewResult> {
    return this.request<PreviewResult>('POST', `/v1/jobs/${jobId}/preview`, body);
  }

  cancelJob(id: string): Promise<JobView> {
    return this.request<JobView>('POST', `/v1/jobs/${id}/cancel`);
  }

  /** Masks as COCO RLE over frames [from, to) (default: all), of the latest round or `opts.round`. */
  masklets(
    id: string,
    from?: number,
    to?: number,
    opts: { round?: number; objects?: number[] } = {},
  ): Promise<MaskletFrames> {
    const q = queryString({ format: 'rle', from, to, round: opts.round, object: opts.objects?.join(',') });
    return this.request<MaskletFrames>('GET', `/v1/jobs/${id}/masklets${q}`);
  }

  /** Follows the job's server-sent events, calling `onProgress`, until it ends; returns the final view. */
  async waitForJob(id: string, onProgress?: (job: JobView) => void, timeoutMs = 10 * 60_000): Promise<JobView> {
    const abort = AbortSignal.timeout(timeoutMs);
    const res = await fetch(new URL(`/v1/jobs/${id}/events`, this.baseUrl), {
      headers: { authorization: `Bearer ${this.apiKey}`, accept: 'text/event-stream' },
      signal: abort,
    });
    if (!res.ok || !res.body) return this.parse<JobView>(res);
    for await (const ev of readServerSentEvents(res.body)) {
      const data = JSON.parse(ev.data) as Partial<JobView>;
      if (onProgress && typeof data.framesDone === 'number') onProgress(data as JobView);
      if (data.status && TERMINAL.has(data.status)) break;
    }
    return this.getJob(id);
  }

  /** The job's exports by round (all rounds, or one). */
  listExports(jobId: string, round?: number): Promise<ExportList> {
    return this.request<ExportList>('GET', `/v1/jobs/${jobId}/exports${round === undefined ? '' : `?round=${round}`}`);
  }

  /** Asks for an export of a SUCCEEDED round (default: the latest); answers the export, queued or done. */
  requestExport(jobId: string, format: ExportFormatName, round?: number): Promise<ExportView> {
    return this.request<ExportView>(
      'POST',
      `/v1/jobs/${jobId}/exports`,
      round === undefined ? { format } : { format, round },
    );
  }

  /**
   * Streams an export to `path` through the API (never held whole) and checks it against the sha256
   * the API lists; returns its bytes and sha256.
   */
  async downloadExport(
    exportView: Pick<ExportView, 'downloadPath' | 'sha256'>,
    path: string,
  ): Promise<{ bytes: number; sha256: string }> {
    const res = await fetch(new URL(exportView.downloadPath, this.baseUrl), {
      headers: { authorization: `Bearer ${this.apiKey}` },
    });
    if (!res.ok || !res.body) return this.parse(res);
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(res.body as never), tap, createWriteStream(path));
    const sha256 = hash.digest('hex');
    if (exportView.sha256 && sha256 !== exportView.sha256)
      throw new MaskletApiError(
        502,
        'CHECKSUM_MISMATCH',
        `downloaded ${path} has sha256 ${sha256}, the API lists ${exportView.sha256}`,
      );
    return { bytes, sha256 };
  }
}
