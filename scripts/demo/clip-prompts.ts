// Prompts for the real clips in ../shared/data/videos, chosen by looking at each clip's first frame: one file per
// clip, scripts/demo/prompts/<clip file name>.json, holding the clip's sha256 so that prompts are never applied to
// a different video of the same name (the clips themselves stay out of the repository).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const PROMPTS_DIR = resolve(__dirname, 'prompts');

const Point = z.strictObject({ x: z.number(), y: z.number(), label: z.union([z.literal(0), z.literal(1)]) });
const Box = z
  .strictObject({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() })
  .refine((b) => b.x1 > b.x0 && b.y1 > b.y0, 'box needs x1 > x0 and y1 > y0');
const Prompt = z
  .strictObject({ frame: z.number().int().min(0), box: Box.optional(), points: z.array(Point).min(1).optional() })
  .refine((p) => p.box || p.points, 'a prompt needs a box or points');

export const ClipPromptsSchema = z.strictObject({
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  objects: z
    .array(z.strictObject({ id: z.number().int().min(1), label: z.string().min(1), prompts: z.array(Prompt).min(1) }))
    .min(1),
});
export type ClipPrompts = z.infer<typeof ClipPromptsSchema>;

export function sha256File(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

export type PromptLookup = { prompts: ClipPrompts } | { skip: string };

/** The prompts for the clip at `path`, or why it has none (no prompt file, or the file is for other bytes). */
export async function promptsFor(path: string, fileName: string): Promise<PromptLookup> {
  const file = join(PROMPTS_DIR, `${fileName}.json`);
  if (!existsSync(file)) return { skip: `no prompts in scripts/demo/prompts/${fileName}.json` };
  const prompts = ClipPromptsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  if (prompts.file !== fileName) throw new Error(`${file}: names ${prompts.file}, not ${fileName}`);
  const sha = await sha256File(path);
  if (sha !== prompts.sha256)
    return {
      skip: `sha256 ${sha.slice(0, 12)}... is not the clip the prompts were chosen on (${prompts.sha256.slice(0, 12)}...)`,
    };
  return { prompts };
}

/** "box (448,378)-(702,548) + 1 click" */
export function describePrompt(p: ClipPrompts['objects'][number]['prompts'][number]): string {
  const parts: string[] = [];
  if (p.box) parts.push(`box (${p.box.x0},${p.box.y0})-(${p.box.x1},${p.box.y1})`);
  if (p.points) parts.push(`${p.points.length} click${p.points.length > 1 ? 's' : ''}`);
  return `${parts.join(' + ')} on frame ${p.frame}`;
}
