import { fromCocoRle } from '@masklet/masks';
import type { ChunkFrame } from '@masklet/masklets';
import { PermanentJobError } from '../runtime/errors';

/** One label per pixel (0 background, object id otherwise; higher ids drawn last), as DAVIS annotations. */
export function labelImage(frame: ChunkFrame, width: number, height: number): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (const o of [...frame.objects].sort((a, b) => a.objectId - b.objectId)) {
    if (o.area === 0) continue;
    if (o.objectId < 1 || o.objectId > 255)
      throw new PermanentJobError(
        'export.object_id',
        `object id ${o.objectId} does not fit an 8-bit label image (1..255)`,
      );
    const mask = fromCocoRle(o.rle);
    const data = mask.data;
    for (let i = 0; i < data.length; i++) if (data[i]) labels[i] = o.objectId;
  }
  return labels;
}
