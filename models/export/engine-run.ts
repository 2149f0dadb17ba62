/**
 * Runs a prompt-and-propagate scenario through the engine (SamModel + VideoSession) for the exporter's
 * video check (models/export/verify_video.py):
 *   tsx models/export/engine-run.ts --model manifest.json --frames dir --scenario scenario.json --out dir
 * After every prompt and every tracked frame it writes each object's low-resolution logits
 * (out/e<event>_o<object>.bin, float32 L x L) and records the frame's video-resolution RLE in out/events.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FrameResult, SamModel, VideoSession } from '@masklet/engine';
import { openImageDirectory } from '@masklet/video';
import { z } from 'zod';

const point = z.tuple([z.number(), z.number(), z.union([z.literal(0), z.literal(1)])]);
const stepSchema = z.discriminatedUnion('op', [
  z
    .object({
      op: z.literal('points'),
      frame: z.number().int(),
      obj: z.number().int(),
      points: z.array(point),
      clearOld: z.boolean(),
    })
    .strict(),
  z
    .object({
      op: z.literal('box'),
      frame: z.number().int(),
      obj: z.number().int(),
      box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    })
    .strict(),
  z.object({ op: z.literal('mask'), frame: z.number().int(), obj: z.number().int(), file: z.string() }).strict(),
  z.object({ op: z.literal('propagate'), start: z.number().int(), reverse: z.boolean() }).strict(),
]);
const scenarioSchema = z.object({ steps: z.array(stepSchema) }).strict();

interface EventRecord {
  step: number;
  frame: number;
  pass: FrameResult['pass'];
  objects: { id: number; counts: number[]; score: number }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      frames: { type: 'string' },
      scenario: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (!values.model || !values.frames || !values.scenario || !values.out)
    throw new Error('usage: engine-run.ts --model manifest.json --frames dir --scenario scenario.json --out dir');
  const out = values.out;
  const scenario = scenarioSchema.parse(JSON.parse(readFileSync(values.scenario, 'utf8')));
  const model = await SamModel.load(values.model);
  const source = await openImageDirectory(values.frames);
  const session = new VideoSession(model, source);
  const { width, height } = source.info;
  const events: EventRecord[] = [];
  const record = async (step: number, result: FrameResult): Promise<void> => {
    const index = events.length;
    for (const o of result.objects) {
      const logits = (await session.tracks.get(o.objectId)!.latestOutput(result.frame))?.predMasks;
      if (logits)
        writeFileSync(
          join(out, `e${index}_o${o.objectId}.bin`),
          Buffer.from(logits.buffer, logits.byteOffset, logits.byteLength),
        );
    }
    events.push({
      step,
      frame: result.frame,
      pass: result.pass,
      objects: result.objects.map((o) => ({ id: o.objectId, counts: o.rle.counts, score: o.objectScore })),
    });
  };
  for (const [i, step] of scenario.steps.entries()) {
    if (step.op === 'points') {
      await record(
        i,
        await session.addPoints(
          step.frame,
          step.obj,
          step.points.map(([x, y, label]) => ({ x, y, label })),
          { clearOld: step.clearOld },
        ),
      );
    } else if (step.op === 'box') {
      const [x0, y0, x1, y1] = step.box;
      await record(i, await session.addBox(step.frame, step.obj, { x0, y0, x1, y1 }));
    } else if (step.op === 'mask') {
      const data = new Uint8Array(readFileSync(step.file));
      await record(i, await session.addMask(step.frame, step.obj, { width, height, data }));
    } else {
      for await (const result of session.propagate({
        startFrame: step.start,
        direction: step.reverse ? 'backward' : 'forward',
      }))
        await record(i, result);
    }
  }
  writeFileSync(
    join(out, 'events.json'),
    JSON.stringify({ width, height, lowRes: model.manifest.lowResMaskSize, events }),
  );
  await session.close();
  await source.close();
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
