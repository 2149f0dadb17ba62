import { Inject, Injectable } from '@nestjs/common';
import type { Job, PrismaClient } from '@masklet/db';
import { fromCocoRle, writeIndexedPng } from '@masklet/masks';
import { ApiError } from '../common/api-error';
import { validationError, type Issue } from '../common/zod-validation.pipe';
import { PRISMA } from '../core/tokens';
import { PreviewDispatch } from './preview-dispatch';
import type { PreviewBody, PreviewResult } from '@masklet/contract';

/**
 * Interactive preview: the mask a click would give on one frame, without propagating and without
 * changing any stored state. The API checks the request against the video and the job, then asks a
 * worker holding the job's model (PreviewDispatch): it answers from the end checkpoint of the job's
 * latest SUCCEEDED round (a fresh session when there is none), the clicks appended to the object's
 * clicks on that frame (as a correction round would), and puts the frame's prompt state back after.
 */
@Injectable()
export class PreviewService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(PreviewDispatch) private readonly dispatch: PreviewDispatch,
  ) {}

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
    const mask = await this.dispatch.ask(job.model, {
      tenantId: job.tenantId,
      video: { id: video.id, s3Key: video.s3Key, sourceUri: video.sourceUri },
      job: { id: job.id, round, options: job.options },
      frame: body.frame,
      objectId: body.objectId,
      points: body.points ?? [],
      box: body.box ?? null,
    });
    return {
      frame: body.frame,
      objectId: body.objectId,
      round,
      rle: mask.rle,
      area: mask.area,
      bbox: mask.bbox,
      score: mask.score,
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
}
