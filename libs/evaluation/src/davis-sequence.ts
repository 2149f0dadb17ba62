/** A DAVIS-layout sequence on disk: `<seq>/frames/*.jpg` and `<seq>/masks/*.png`, read lazily. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BinaryMask, readMaskPng } from '@masklet/masks';

export interface DavisSequence {
  name: string;
  framesDir: string;
  maskFiles: string[];
}

export async function listDavisSequences(root: string): Promise<DavisSequence[]> {
  const names = (await readdir(root)).sort();
  const out: DavisSequence[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (!(await stat(dir)).isDirectory()) continue;
    const framesDir = join(dir, 'frames');
    const masksDir = join(dir, 'masks');
    const exists = await Promise.all(
      [framesDir, masksDir].map((d) =>
        stat(d).then(
          (s) => s.isDirectory(),
          () => false,
        ),
      ),
    );
    if (!exists.every(Boolean)) continue;
    const maskFiles = (await readdir(masksDir))
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => join(masksDir, f));
    out.push({ name, framesDir, maskFiles });
  }
  if (out.length === 0) throw new Error(`${root}: no DAVIS-layout sequences (<seq>/frames and <seq>/masks) found`);
  return out;
}

/** Ground truth as a binary mask: any non-zero label is the object (DAVIS-2016 is single-object). */
export async function readGroundTruth(file: string, objectLabel?: number): Promise<BinaryMask> {
  const { width, height, labels } = readMaskPng(await readFile(file));
  const data = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++)
    data[i] = objectLabel === undefined ? (labels[i] ? 1 : 0) : labels[i] === objectLabel ? 1 : 0;
  return { width, height, data };
}
