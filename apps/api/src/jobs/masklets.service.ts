import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Job, MaskletChunk, PrismaClient } from '@masklet/db';
import { decodeChunk, type MaskletChunk as ChunkData } from '@masklet/masklets';
import { fromCocoRle, writeIndexedPng } from '@masklet/masks';
import type { ObjectStore } from '@masklet/storage';
import { ApiError, badRequest } from '../common/api-error';
import { OBJECT_STORE, PRISMA } from '../core/tokens';
import { JobsRepository } from './jobs.repository';

export interface MaskletQuery {
  from: number;
  to?: number | undefined;
  format: 'rle' | 'png';
  round?: number | undefined;
  object?: number[] | undefined;
}

/**
 * Masks of a job out of the worker's chunk files.
 * - format=rle: JSON {jobId, round, width, height, from, to, frames: [{frame, objects: [{objectId, rle: {size, counts}, area, bbox, score}]}]}
 *   streamed chunk by chunk over [from, to) (to defaults to the video's frame count). Frames not yet written are absent.
 * - format=png: one frame (to omitted or from + 1) as a DAVIS-palette indexed PNG; pixel value = object id (1..255).
 */
@Injectable()
export class MaskletsService {
  constructor(
    @Inject(JobsRepository) private readonly jobs: JobsRepository,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(PRISMA) private readonly prisma: PrismaClient,
  ) {}

  async send(job: Job, q: MaskletQuery, res: Response): Promise<void> {
    const video = await this.prisma.video.findUniqueOrThrow({ where: { id: job.videoId } });
    const width = video.width ?? 0;
    const height = video.height ?? 0;
    const frameCount = video.frameCount ?? 0;
    const round = q.round ?? job.currentRound;
    if (round > job.currentRound) throw new ApiError(404, 'ROUND_NOT_FOUND', `job ${job.id} has no round ${round} (latest: ${job.currentRound})`);
    if (q.from >= frameCount) throw badRequest('INVALID_RANGE', `from=${q.from} is outside the video (frames 0..${frameCount - 1})`);
    const wanted = q.object ? new Set(q.object) : null;
    if (q.format === 'png') {
      if (q.to !== undefined && q.to !== q.from + 1) {
        throw badRequest('PNG_SINGLE_FRAME', 'format=png returns one frame: omit "to" or set to=from+1 (use format=rle for ranges)');
      }
      const png = await this.framePng(job, round, q.from, width, height, wanted);
      res.status(200).type('image/png').setHeader('Content-Disposition', `inline; filename="${String(q.from).padStart(5, '0')}.png"`);
      res.end(png);
      return;
    }
    const to = Math.min(q.to ?? frameCount, frameCount);
    if (to <= q.from) throw badRequest('INVALID_RANGE', `to=${q.to} must be greater than from=${q.from}`);
    const chunks = await this.jobs.chunksOverlapping(job.id, round, q.from, to);
    await this.streamRle(res, chunks, { jobId: job.id, round, width, height, from: q.from, to }, wanted);
  }

  private async streamRle(res: Response, chunks: MaskletChunk[], head: Record<string, unknown>, wanted: Set<number> | null): Promise<void> {
    const from = head['from'] as number;
    const to = head['to'] as number;
    // Fetch one chunk ahead while the current one is written.
    let next: Promise<ChunkData> | undefined = chunks[0] ? this.load(chunks[0]) : undefined;
    const first = next ? await next : undefined;
    res.status(200).type('application/json');
    await write(res, `${JSON.stringify(head).slice(0, -1)},"frames":[`);
    let sep = '';
    for (let i = 0; i < chunks.length; i++) {
      let data: ChunkData;
      try {
        data = i === 0 ? first! : await next!;
      } catch (err) {
        res.destroy(err as Error);
        return;
      }
      next = chunks[i + 1] ? this.load(chunks[i + 1]!) : undefined;
      next?.catch(() => undefined);
      for (const f of data.frames) {
        if (f.frame < from || f.frame >= to) continue;
        const objects = wanted ? f.objects.filter((o) => wanted.has(o.objectId)) : f.objects;
        await write(res, `${sep}${JSON.stringify({ frame: f.frame, objects })}`);
        sep = ',';
      }
    }
    res.end(']}');
  }

  private async framePng(job: Job, round: number, frame: number, width: number, height: number, wanted: Set<number> | null): Promise<Buffer> {
    const [chunk] = await this.jobs.chunksOverlapping(job.id, round, frame, frame + 1);
    const data = chunk ? await this.load(chunk) : undefined;
    const f = data?.frames.find((x) => x.frame === frame);
    if (!f) throw new ApiError(404, 'FRAME_NOT_AVAILABLE', `no masks for frame ${frame} of job ${job.id} round ${round} yet`);
    const labels = new Uint8Array(width * height);
    for (const o of f.objects) {
      if (wanted && !wanted.has(o.objectId)) continue;
      if (o.objectId > 255) throw new ApiError(422, 'OBJECT_ID_TOO_LARGE_FOR_PNG', `object ${o.objectId} cannot be a palette index (max 255); use format=rle`);
      if (o.area === 0) continue;
      const mask = fromCocoRle({ size: [o.rle.size[0], o.rle.size[1]], counts: o.rle.counts });
      const d = mask.data;
      for (let i = 0; i < d.length; i++) if (d[i]) labels[i] = o.objectId;
    }
    return writeIndexedPng(labels, width, height);
  }

  private async load(chunk: MaskletChunk): Promise<ChunkData> {
    return decodeChunk(await this.store.getBuffer(chunk.s3Key));
  }
}

function write(res: Response, s: string): Promise<void> {
  if (res.write(s)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    res.once('drain', resolve);
    res.once('close', () => reject(new Error('client closed the connection')));
  });
}
