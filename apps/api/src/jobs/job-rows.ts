import { createHash, randomUUID } from 'node:crypto';
import type { Prisma, Video } from '@masklet/db';
import { defaultStartFrame, frameRangeSize, jobFrameRange } from '@masklet/masklets';
import type { JobBody, PromptBody } from '@masklet/contract';
import { normalizeMaskCounts } from './prompt-checks';

/**
 * What the worker reads from Job.options (JSON):
 * direction, startFrame (always set), maxFrames (optional), outputs, chunkFrames, and, when the
 * client sent an Idempotency-Key, requestSha256 (the canonical body hash compared on replays).
 */
export interface StoredJobOptions {
  direction: 'forward' | 'backward' | 'both';
  startFrame: number;
  maxFrames?: number;
  outputs: string[];
  chunkFrames: number;
  requestSha256?: string;
}

export interface JobRows {
  job: Prisma.JobCreateManyInput;
  objects: Prisma.JobObjectCreateManyInput[];
  prompts: Prisma.PromptCreateManyInput[];
  round: Prisma.RoundCreateManyInput;
}

export interface JobDefaults {
  model: string;
  chunkFrames: number;
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function buildJobRows(
  body: JobBody,
  video: Video,
  ctx: { tenantId: string; apiKeyId: string; batchId?: string; idempotencyKey?: string; requestSha256?: string },
  defaults: JobDefaults,
): JobRows {
  const id = randomUUID();
  const direction = body.options?.direction ?? 'forward';
  const promptFrames = body.objects.flatMap((o) => o.prompts.map((p) => p.frame));
  const startFrame = body.options?.startFrame ?? defaultStartFrame(direction, promptFrames);
  const options: StoredJobOptions = {
    direction,
    startFrame,
    ...(body.options?.maxFrames !== undefined ? { maxFrames: body.options.maxFrames } : {}),
    outputs: body.options?.outputs ?? [],
    chunkFrames: body.options?.chunkFrames ?? defaults.chunkFrames,
    ...(ctx.requestSha256 ? { requestSha256: ctx.requestSha256 } : {}),
  };
  const range = jobFrameRange(options, video.frameCount ?? 0);
  const job: Prisma.JobCreateManyInput = {
    id,
    tenantId: ctx.tenantId,
    videoId: video.id,
    batchId: ctx.batchId ?? null,
    model: body.model ?? defaults.model,
    options: options as unknown as Prisma.InputJsonValue,
    status: 'QUEUED',
    priority: body.priority,
    framesTotal: frameRangeSize(range),
    frameStart: range.start,
    frameEnd: range.end,
    idempotencyKey: ctx.idempotencyKey ?? null,
    webhookUrl: body.webhookUrl ?? null,
    currentRound: 1,
  };
  const objects = body.objects.map((o) => ({
    id: randomUUID(),
    jobId: id,
    objectId: o.id,
    label: o.label ?? null,
    createdInRound: 1,
  }));
  const prompts = body.objects.flatMap((o) => o.prompts.map((p) => promptRow(id, o.id, p)));
  const round: Prisma.RoundCreateManyInput = {
    id: randomUUID(),
    jobId: id,
    number: 1,
    status: 'QUEUED',
    direction,
    apiKeyId: ctx.apiKeyId,
    changedFrames: [],
    changedObjects: body.objects.map((o) => o.id),
    removedObjects: [],
  };
  return { job, objects, prompts, round };
}

/** Stored prompt JSON: points [{x, y, label}], box [x0, y0, x1, y1], mask {size: [h, w], counts: "<COCO string>"}. */
export function promptRow(jobId: string, objectId: number, p: PromptBody, round = 1): Prisma.PromptCreateManyInput {
  const kind = p.mask ? 'MASK' : p.box ? 'BOX' : 'POINTS';
  return {
    id: randomUUID(),
    jobId,
    round,
    objectId,
    frame: p.frame,
    kind,
    ...(p.points ? { points: p.points.map((pt) => ({ x: pt.x, y: pt.y, label: pt.label })) } : {}),
    ...(p.box ? { box: [p.box.x0, p.box.y0, p.box.x1, p.box.y1] } : {}),
    ...(p.mask ? { mask: { size: p.mask.size, counts: normalizeMaskCounts(p.mask.counts) } } : {}),
  };
}
