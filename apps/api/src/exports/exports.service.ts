import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { pipeline } from 'node:stream/promises';
import {
  EXPORT_FORMAT_NAMES,
  exportFormat,
  exportFormatOfKind,
  toExportView,
  type ExportList,
  type ExportRequest,
  type ExportView,
} from '@masklet/contract';
import type { Export, Job } from '@masklet/db';
import { exportJobId, exportJobOptions, QUEUES, type ExportPayload } from '@masklet/queue';
import type { ObjectStore } from '@masklet/storage';
import { ApiError, conflict, unprocessable } from '../common/api-error';
import type { QueueRegistry } from '../core/queues';
import { LOGGER, OBJECT_STORE, QUEUES_TOKEN } from '../core/tokens';
import { parseRange } from './byte-range';
import { ExportsRepository } from './exports.repository';
import { contentDisposition, downloadStem } from '../common/content-disposition';
import { traceCarrier } from '@masklet/telemetry';

/** How long a presigned download URL (`?redirect=true`) stays valid. */
const PRESIGN_SECONDS = 15 * 60;

/**
 * A job's exports: listed per round, requested on demand, downloaded.
 *
 * Downloads stream through the API by default: the caller's API key is all it needs, and S3 may not
 * be reachable from where clients run (a private endpoint, s3rver on loopback). The S3 object is
 * piped to the response with backpressure, never held whole; a `Range: bytes=a-b` header gets 206.
 * `?redirect=true` answers 302 to a presigned S3 URL valid 15 minutes instead, for clients that can
 * reach the store and want to take the transfer off the API.
 */
@Injectable()
export class ExportsService {
  constructor(
    @Inject(ExportsRepository) private readonly exports: ExportsRepository,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(QUEUES_TOKEN) private readonly queues: QueueRegistry,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async list(job: Job, round: number | undefined): Promise<ExportList> {
    if (round !== undefined) await this.mustHaveRound(job, round);
    const order = new Map(EXPORT_FORMAT_NAMES.map((n, i) => [n, i] as const));
    const items = (await this.exports.list(job.id, round)).map(toExportView);
    items.sort((a, b) => a.round - b.round || order.get(a.format)! - order.get(b.format)!);
    return { jobId: job.id, items };
  }

  async get(job: Job, exportId: string): Promise<ExportView> {
    return toExportView(await this.mustFind(job, exportId));
  }

  /** `queued`: the export is not done yet (new, a failed one retried, or still in the queue: 202); false: it exists and is done (200). */
  async request(job: Job, body: ExportRequest): Promise<{ view: ExportView; queued: boolean }> {
    const format = exportFormat(body.format);
    if (!format)
      throw unprocessable(
        'UNKNOWN_FORMAT',
        `unknown export format "${body.format}"; known formats: ${EXPORT_FORMAT_NAMES.join(', ')}`,
        { known: EXPORT_FORMAT_NAMES },
      );
    const round = body.round ?? (await this.latestSucceeded(job));
    if (body.round !== undefined) {
      const r = await this.mustHaveRound(job, body.round);
      if (r.status !== 'SUCCEEDED')
        throw conflict(
          'ROUND_NOT_READY',
          `round ${body.round} of job ${job.id} is ${r.status}; only a SUCCEEDED round can be exported`,
        );
    }
    const { row, fresh } = await this.exports.claim(job.id, round, format.kind);
    if (row.status === 'QUEUED') await this.enqueue(job, row, fresh);
    return { view: toExportView(row), queued: row.status !== 'SUCCEEDED' };
  }

  async download(job: Job, exportId: string, redirect: boolean, req: Request, res: Response): Promise<void> {
    const row = await this.mustFind(job, exportId);
    if (row.status === 'FAILED')
      throw conflict(
        'EXPORT_FAILED',
        `export ${row.id} failed: ${row.error ?? 'unknown error'}; request it again with POST /v1/jobs/${job.id}/exports`,
      );
    if (row.status !== 'SUCCEEDED' || !row.s3Key)
      throw conflict('EXPORT_NOT_READY', `export ${row.id} is ${row.status}; download it once it is SUCCEEDED`);
    const format = exportFormatOfKind(row.kind);
    if (redirect) {
      res.redirect(302, await this.store.presignGet(row.s3Key, PRESIGN_SECONDS));
      return;
    }
    const size = Number(row.bytes ?? (await this.store.head(row.s3Key))?.bytes ?? 0);
    const range = parseRange(req.headers.range, size);
    res.setHeader('Content-Type', format.contentType);
    const stem = downloadStem(await this.exports.videoFilename(job.videoId), job.id);
    res.setHeader('Content-Disposition', contentDisposition('attachment', `${stem}-r${row.round}-${format.fileName}`));
    res.setHeader('Accept-Ranges', 'bytes');
    if (row.sha256) {
      res.setHeader('ETag', `"${row.sha256}"`);
      res.setHeader('X-Masklet-Sha256', row.sha256);
    }
    if (range === 'unsatisfiable') {
      res.status(416).setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    const body = await this.store.getStream(row.s3Key, range ?? undefined);
    if (range) {
      res.status(206).setHeader('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      res.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      res.status(200).setHeader('Content-Length', String(size));
    }
    // A client that goes away destroys the S3 stream too (pipeline), so nothing is left reading.
    await pipeline(body, res).catch(() => undefined);
  }

  private async enqueue(job: Job, row: Export, replaceOld: boolean): Promise<void> {
    const queue = this.queues.get(QUEUES.export);
    const id = exportJobId(row.id);
    // A failed export's queue entry is kept for a while; it must go before the id can be queued again.
    if (replaceOld) await queue.remove(id).catch(() => undefined);
    const payload: ExportPayload = {
      exportId: row.id,
      jobId: job.id,
      tenantId: job.tenantId,
      round: row.round,
      kind: row.kind,
      ...traceCarrier(),
    };
    try {
      await queue.add(row.kind, payload, exportJobOptions(id));
    } catch (err) {
      this.log.error({ err, exportId: row.id }, 'enqueue of an export failed');
      throw new ApiError(503, 'QUEUE_UNAVAILABLE', 'the job queue is unavailable; the export was not queued', {
        dependency: 'redis',
      });
    }
  }

  private async mustFind(job: Job, exportId: string): Promise<Export> {
    const row = await this.exports.find(job.id, exportId);
    if (!row) throw new ApiError(404, 'EXPORT_NOT_FOUND', `export ${exportId} of job ${job.id} not found`);
    return row;
  }

  private async mustHaveRound(job: Job, round: number): Promise<{ number: number; status: string }> {
    const rounds = await this.exports.rounds(job.id);
    const r = rounds.find((x) => x.number === round);
    if (!r)
      throw new ApiError(404, 'ROUND_NOT_FOUND', `job ${job.id} has no round ${round} (rounds: 1..${rounds.length})`);
    return r;
  }

  private async latestSucceeded(job: Job): Promise<number> {
    const done = (await this.exports.rounds(job.id)).filter((r) => r.status === 'SUCCEEDED');
    const last = done[done.length - 1];
    if (!last)
      throw conflict('JOB_NOT_SUCCEEDED', `job ${job.id} has no SUCCEEDED round to export yet (status ${job.status})`);
    return last.number;
  }
}
