import { z } from 'zod';
import { exportFormat } from '@masklet/contract';
import type { ExportKind } from '@masklet/db';
import type { Direction } from '@masklet/engine';
import { PermanentJobError } from '../runtime/errors';

/**
 * The part of Job.options the worker acts on. The API validates options on submission; the worker
 * re-reads them leniently (unknown keys ignored, export names in any case / short aliases) so the
 * two can evolve without lock-step releases.
 */
const Schema = z.object({
  direction: z.enum(['forward', 'backward', 'both']).default('forward'),
  startFrame: z.number().int().nonnegative().optional(),
  maxFrames: z.number().int().nonnegative().optional(),
  chunkFrames: z.number().int().positive().max(10_000).optional(),
  nonOverlap: z.boolean().optional(),
  outputs: z
    .array(z.string())
    .default([])
    .transform((names, ctx) => {
      const kinds: ExportKind[] = [];
      for (const name of names) {
        const kind = exportFormat(name)?.kind;
        if (!kind) ctx.addIssue({ code: 'custom', message: `unknown output "${name}"` });
        else if (!kinds.includes(kind)) kinds.push(kind);
      }
      return kinds;
    }),
});

export interface WorkerJobOptions {
  direction: Direction;
  startFrame?: number;
  maxFrames?: number;
  chunkFrames?: number;
  nonOverlap?: boolean;
  outputs: ExportKind[];
}

export function readJobOptions(options: unknown): WorkerJobOptions {
  const r = Schema.safeParse(options ?? {});
  if (!r.success)
    throw new PermanentJobError(
      'bad_input.options',
      `invalid job options: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}
