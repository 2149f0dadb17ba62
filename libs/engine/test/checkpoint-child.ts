/** Restores a checkpoint in a fresh process, continues propagating, prints each frame's RLE counts. */
import { readFile } from 'node:fs/promises';
import { restoreSession, SamModel } from '../src';
import { ensureModel } from '../../../models/generator/ensure-model';
import { clip } from './support';

async function main(): Promise<void> {
  const [file, startArg] = process.argv.slice(2);
  const model = await SamModel.load(await ensureModel('reference'));
  const source = clip({ frames: 40, scenario: { objects: 3 } });
  const session = await restoreSession(model, source, await readFile(file!));
  const frames: Record<number, number[][]> = {};
  for await (const r of session.propagate({ startFrame: Number(startArg) })) frames[r.frame] = r.objects.map((o) => o.rle.counts);
  process.stdout.write(JSON.stringify(frames));
  await session.close();
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
