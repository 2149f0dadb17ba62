/**
 * Restores a checkpoint (or a chain of incremental ones, oldest first) in a fresh process, optionally
 * adds a click (`--click frame,objectId,x,y,label`), continues propagating from a frame and prints
 * each frame's RLE counts.
 */
import { readFile } from 'node:fs/promises';
import { restoreSession, SamModel } from '../src';
import { ensureModel } from '../../../models/generator/ensure-model';
import { clip } from './support';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const clickAt = args.indexOf('--click');
  const click = clickAt >= 0 ? args.splice(clickAt, 2)[1]!.split(',').map(Number) : null;
  const [startArg, ...files] = args;
  const model = await SamModel.load(await ensureModel('reference'));
  const source = clip({ frames: 40, scenario: { objects: 3 } });
  const session = await restoreSession(model, source, await Promise.all(files.map((f) => readFile(f))));
  if (click) {
    const [frame, objectId, x, y, label] = click as [number, number, number, number, number];
    await session.addPoints(frame, objectId, [{ x, y, label: label as 0 | 1 }]);
  }
  const frames: Record<number, number[][]> = {};
  for await (const r of session.propagate({ startFrame: Number(startArg) }))
    frames[r.frame] = r.objects.map((o) => o.rle.counts);
  process.stdout.write(JSON.stringify(frames));
  await session.close();
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
