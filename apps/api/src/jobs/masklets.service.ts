import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import type { MaskletFrames, MaskletQuerySchema } from '@masklet/contract';
import type { Job, MaskletChunk, PrismaClient } from '@masklet/db';
import { decodeChunk, resolveFrameSources, type FrameSegment, type MaskletChunk as ChunkData } from '@masklet/masklets';
import { fromCocoRle, writeIndexedPng } from '@masklet/masks';
import type { ObjectStore } from '@masklet/storage';
import { ApiError, badRequest } from '../common/api-error';
import { OBJECT_STORE, PRISMA } from '../core/tokens';
import { JobsRepository } from './jobs.repository';
import { rleBody, writeRleBody } from './masklets-rle-stream';
import { contentDisposition, downloadStem } from '../common/content-disposition';

interface RoundView {
  round: number;
  included: number[];
  removed: Set<number>;
}

export type MaskletQuery = z.output<typeof MaskletQuerySchema>;

/**
 * Masks of a job out of the worker's chunk files, versioned by round (see `view`).
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
    if (q.round !== undefined && q.round > job.currentRound)
      throw new ApiError(404, 'ROUND_NOT_FOUND', `job ${job.id} has no round ${q.round} (latest: ${job.currentRound})`);
    const view = await this.view(job, q.round);
    const round = view.round;
    if (q.from >= frameCount)
      throw badRequest('INVALID_RANGE', `from=${q.from} is outside the video (frames 0..${frameCount - 1})`);
    const wanted = q.object ? new Set(q.object) : null;
    const keep = (objectId: number): boolean => (!wanted || wanted.has(objectId)) && !view.removed.has(objectId);
    if (q.format === 'png') {
      if (q.to !== undefined && q.to !== q.from + 1) {
        throw badRequest(
          'PNG_SINGLE_FRAME',
          'format=png returns one frame: omit "to" or set to=from+1 (use format=rle for ranges)',
        );
      }
      const png = await this.framePng(job, view, q.from, width, height, keep);
      const name = `${downloadStem(video.filename, job.id)}-${String(q.from).padStart(5, '0')}.png`;
      res.status(200).type('image/png').setHeader('Content-Disposition', contentDisposition('inline', name));
      res.end(png);
      return;
    }
    const to = Math.min(q.to ?? frameCount, frameCount);
    if (to <= q.from) throw badRequest('INVALID_RANGE', `to=${q.to} must be greater than from=${q.from}`);
    const segments = await this.segments(job.id, view, q.from, to);
    await this.streamRle(res, segments, { jobId: job.id, round, width, height, from: q.from, to }, keep);
  }

  /**
   * Round R's state: for each frame, the newest of R itself and every earlier SUCCEEDED round that has
   * it (a correction round's chunks cover only the frames it recomputed). Default R: the latest round
   * that is not FAILED or CANCELLED. Objects removed in a round <= R are left out.
   */
  private async view(job: Job, requested: number | undefined): Promise<RoundView> {
    const rounds = await this.prisma.round.findMany({
      where: { jobId: job.id },
      select: { number: true, status: true },
      orderBy: { number: 'asc' },
    });
    let round = requested ?? job.currentRound;
    if (requested === undefined) {
      const usable = rounds.filter((r) => r.status !== 'FAILED' && r.status !== 'CANCELLED');
      if (usable.length) round = usable[usable.length - 1]!.number;
    }
    const included = [
      round,
      ...rounds.filter((r) => r.number < round && r.status === 'SUCCEEDED').map((r) => r.number),
    ];
    const removedRows = await this.prisma.jobObject.findMany({
      where: { jobId: job.id, removedInRound: { lte: round } },
      select: { objectId: true },
    });
    return { round, included, removed: new Set(removedRows.map((o) => o.objectId)) };
  }

  private async segments(
    jobId: string,
    view: RoundView,
    from: number,
    to: number,
  ): Promise<FrameSegment<MaskletChunk>[]> {
    const chunks = await this.prisma.maskletChunk.findMany({
      where: { jobId, round: { in: view.included }, startFrame: { lt: to }, endFrame: { gt: from } },
      orderBy: [{ startFrame: 'asc' }, { round: 'asc' }],
    });
    return resolveFrameSources(chunks, from, to);
  }

  private async streamRle(
    res: Response,
    segments: FrameSegment<MaskletChunk>[],
    head: Omit<MaskletFrames, 'frames'>,
    keep: (objectId: number) => boolean,
  ): Promise<void> {
    const load = (c: MaskletChunk): Promise<ChunkData> => this.load(c);
    const first = segments[0] ? await load(segments[0].chunk) : undefined;
    res.status(200).type('application/json');
    await writeRleBody(res, rleBody(segments, head, keep, load, first));
  }

  private async framePng(
    job: Job,
    view: RoundView,
    frame: number,
    width: number,
    height: number,
    keep: (objectId: number) => boolean,
  ): Promise<Buffer> {
    const [seg] = await this.segments(job.id, view, frame, frame + 1);
    const data = seg ? await this.load(seg.chunk) : undefined;
    const f = data?.frames.find((x) => x.frame === frame);
    if (!f)
      throw new ApiError(
        404,
        'FRAME_NOT_AVAILABLE',
        `no masks for frame ${frame} of job ${job.id} round ${view.round} yet`,
      );
    const labels = new Uint8Array(width * height);
    for (const o of f.objects) {
      if (!keep(o.objectId)) continue;
      if (o.objectId > 255)
        throw new ApiError(
          422,
          'OBJECT_ID_TOO_LARGE_FOR_PNG',
          `object ${o.objectId} cannot be a palette index (max 255); use format=rle`,
        );
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
