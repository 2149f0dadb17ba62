import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportFormatName, ExportList, ExportView, JobView, VideoView } from '@masklet/contract';
import { multipartFileBody } from './multipart-body';
import { readServerSentEvents } from './sse';

export interface MaskletFrames {
  width: number;
  height: number;
  frames: {
    frame: number;
    objects: { objectId: number; rle: { size: [number, number]; counts: string }; area: number; bbox: number[] | null; score: number }[];
  }[];
}

export class MaskletApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${status} ${code}: ${message}`);
    this.name = 'MaskletApiError';
  }
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** The API as its clients use it: bearer key, JSON in and out, errors as MaskletApiError. */
export class MaskletClient {
  constructor(readonly baseUrl: string, private readonly apiKey: string) {}

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
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

  createJob(job: unknown, idempotencyKey?: string): Promise<JobView> {
    return this.request<JobView>('POST', '/v1/jobs', job, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  createBatch(jobs: unknown[], name?: string): Promise<{ id: string; jobCount: number }> {
    return this.request('POST', '/v1/batches', { name, jobs });
  }

  getBatch(id: string): Promise<{ id: string; counts: Record<string, number>; meanProgress: number }> {
    return this.request('GET', `/v1/batches/${id}`);
  }

  getJob(id: string): Promise<JobView> {
    return this.request<JobView>('GET', `/v1/jobs/${id}`);
  }

  cancelJob(id: string): Promise<JobView> {
    return this.request<JobView>('POST', `/v1/jobs/${id}/cancel`);
  }

  masklets(id: string, from?: number, to?: number): Promise<MaskletFrames> {
    const q = new URLSearchParams({ format: 'rle' });
    if (from !== undefined) q.set('from', String(from));
    if (to !== undefined) q.set('to', String(to));
    return this.request<MaskletFrames>('GET', `/v1/jobs/${id}/masklets?${q.toString()}`);
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
    return this.request<ExportView>('POST', `/v1/jobs/${jobId}/exports`, round === undefined ? { format } : { format, round });
  }

  /**
   * Streams an export to `path` through the API (never held whole) and checks it against the sha256
   * the API lists; returns its bytes and sha256.
   */
  async downloadExport(exportView: Pick<ExportView, 'downloadPath' | 'sha256'>, path: string): Promise<{ bytes: number; sha256: string }> {
    const res = await fetch(new URL(exportView.downloadPath, this.baseUrl), { headers: { authorization: `Bearer ${this.apiKey}` } });
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
    if (exportView.sha256 && sha256 !== exportView.sha256) throw new MaskletApiError(502, 'CHECKSUM_MISMATCH', `downloaded ${path} has sha256 ${sha256}, the API lists ${exportView.sha256}`);
    return { bytes, sha256 };
  }
}
