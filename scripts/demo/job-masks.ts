// A finished job's masks, downloaded once: DAVIS-palette PNGs on disk and each object's mask per frame for scoring.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MaskletClient } from '@masklet/client';
import { fromCocoRle, writeIndexedPng, type BinaryMask } from '@masklet/masks';

export interface JobMasks {
  width: number;
  height: number;
  /** frame -> objectId -> mask */
  frames: Map<number, Map<number, BinaryMask>>;
}

export async function saveJobMasks(client: MaskletClient, jobId: string, dir: string): Promise<JobMasks> {
  await mkdir(dir, { recursive: true });
  const data = await client.masklets(jobId);
  const frames = new Map<number, Map<number, BinaryMask>>();
  for (const f of data.frames) {
    const labels = new Uint8Array(data.width * data.height);
    const objects = new Map<number, BinaryMask>();
    for (const o of f.objects) {
      const mask = fromCocoRle(o.rle);
      objects.set(o.objectId, mask);
      for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) labels[i] = o.objectId;
    }
    frames.set(f.frame, objects);
    await writeFile(
      join(dir, `${String(f.frame).padStart(5, '0')}.png`),
      writeIndexedPng(labels, data.width, data.height),
    );
  }
  return { width: data.width, height: data.height, frames };
}

export function area(mask: BinaryMask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i]!;
  return n;
}
