import { z } from 'zod';
import type { Prompt } from '@masklet/db';
import type { Box, Point } from '@masklet/engine';
import { decodeRle, fromCocoRle, type BinaryMask } from '@masklet/masks';
import type { EngineSession } from '../engine/engine-port';
import { PermanentJobError } from '../runtime/errors';

const PointTuple = z.union([
  z.tuple([z.number(), z.number()]).transform(([x, y]) => ({ x, y, label: 1 as const })),
  z
    .tuple([z.number(), z.number(), z.union([z.literal(0), z.literal(1)])])
    .transform(([x, y, label]) => ({ x, y, label })),
  z.object({ x: z.number(), y: z.number(), label: z.union([z.literal(0), z.literal(1)]).default(1) }),
]);
/** [[x, y, label?], ...], [{x, y, label}], or {points: [[x, y]], labels: [1, 0]}. */
const PointsSchema = z.union([
  z.array(PointTuple),
  z
    .object({
      points: z.array(z.tuple([z.number(), z.number()])),
      labels: z.array(z.union([z.literal(0), z.literal(1)])),
    })
    .refine((v) => v.points.length === v.labels.length, 'points and labels differ in length')
    .transform((v) => v.points.map(([x, y], i) => ({ x, y, label: v.labels[i]! }))),
]);
const BoxSchema = z.union([
  z.tuple([z.number(), z.number(), z.number(), z.number()]).transform(([x0, y0, x1, y1]) => ({ x0, y0, x1, y1 })),
  z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() }),
]);
const MaskSchema = z.object({
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  counts: z.union([z.string(), z.array(z.number().int().nonnegative())]),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string, p: Prompt): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new PermanentJobError(
      'bad_input.prompt',
      `prompt ${p.id} (object ${p.objectId}, frame ${p.frame}): invalid ${what}: ${r.error.issues[0]?.message ?? 'malformed'}`,
    );
  return r.data;
}

function maskOf(p: Prompt, width: number, height: number): BinaryMask {
  const m = parse(MaskSchema, p.mask, 'mask', p);
  let mask: BinaryMask;
  try {
    mask =
      typeof m.counts === 'string'
        ? fromCocoRle({ size: m.size, counts: m.counts })
        : decodeRle({ size: m.size, counts: m.counts });
  } catch (err) {
    throw new PermanentJobError(
      'bad_input.prompt',
      `prompt ${p.id}: mask RLE does not decode: ${(err as Error).message}`,
    );
  }
  if (mask.width !== width || mask.height !== height)
    throw new PermanentJobError(
      'bad_input.prompt',
      `prompt ${p.id}: mask is ${mask.width}x${mask.height}, the video is ${width}x${height}`,
    );
  return mask;
}

/**
 * Adds a round's prompts to the session. Prompts of one object on one frame are merged into one
 * engine call (a box plus every click, in order); a mask replaces clicks on its frame, as in SAM 2.
 * Objects are prompted in id order, frames ascending, so the engine state never depends on the
 * order rows came back from the database. Correction rounds append clicks to the frame's earlier
 * clicks of the object (`appendClicks`, SAM 2's clear_old_points=False); on a tracked frame the engine
 * refines from that frame's previous logits.
 */
export async function applyPrompts(
  session: EngineSession,
  prompts: readonly Prompt[],
  objectIds: readonly number[],
  opts: { appendClicks?: boolean } = {},
): Promise<number> {
  const { width, height } = session.info;
  const live = new Set(objectIds);
  const groups = new Map<
    string,
    { objectId: number; frame: number; points: Point[]; box: Box | null; mask: BinaryMask | null }
  >();
  for (const p of prompts) {
    if (!live.has(p.objectId))
      throw new PermanentJobError(
        'bad_input.prompt',
        `prompt ${p.id} targets object ${p.objectId}, which the job does not track`,
      );
    const key = `${p.objectId}:${p.frame}`;
    const g = groups.get(key) ?? { objectId: p.objectId, frame: p.frame, points: [], box: null, mask: null };
    groups.set(key, g);
    if (p.kind === 'MASK') {
      g.mask = maskOf(p, width, height);
      g.points = [];
      g.box = null;
      continue;
    }
    if (p.box !== null && p.box !== undefined) g.box = parse(BoxSchema, p.box, 'box', p);
    if (p.points !== null && p.points !== undefined) g.points.push(...parse(PointsSchema, p.points, 'points', p));
    if (p.kind === 'BOX' && !g.box)
      throw new PermanentJobError('bad_input.prompt', `prompt ${p.id} is a BOX prompt without a box`);
    if (p.kind === 'POINTS' && g.points.length === 0 && !g.box)
      throw new PermanentJobError('bad_input.prompt', `prompt ${p.id} is a POINTS prompt without points`);
    g.mask = null;
  }
  const ordered = [...groups.values()].sort((a, b) => a.objectId - b.objectId || a.frame - b.frame);
  for (const g of ordered) {
    if (g.mask) await session.addMask(g.frame, g.objectId, g.mask);
    else if (g.box) await session.addBox(g.frame, g.objectId, g.box, g.points);
    else await session.addPoints(g.frame, g.objectId, g.points, { clearOld: !opts.appendClicks });
  }
  return ordered.length;
}
