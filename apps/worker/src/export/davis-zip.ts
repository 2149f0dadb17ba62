import { once } from 'node:events';
import { ZipArchive } from 'archiver';
import { writeIndexedPng } from '@masklet/masks';
import type { ObjectStore, StoredObject } from '@masklet/storage';
import { labelImage } from './label-image';
import type { RoundMasks } from './round-masks';

/**
 * DAVIS layout: one 8-bit palette PNG per frame (00000.png ...), label = object id, DAVIS palette.
 * The zip streams straight into a multipart upload; one PNG is in flight at a time (each append waits
 * for archiver to take the previous entry), so memory does not grow with the video.
 */
export async function writeDavisZip(masks: RoundMasks, store: ObjectStore, key: string): Promise<StoredObject> {
  const zip = new ZipArchive({ zlib: { level: 1 } });
  const upload = store.putStream(key, zip, { contentType: 'application/zip' });
  let failure: unknown = null;
  zip.on('error', (err) => (failure = err));
  try {
    for await (const frame of masks.frames()) {
      if (failure) throw failure;
      const png = writeIndexedPng(labelImage(frame, masks.width, masks.height), masks.width, masks.height);
      const entry = once(zip, 'entry');
      // PNGs are already deflated: store them.
      zip.append(png, { name: `${String(frame.frame).padStart(5, '0')}.png`, store: true });
      await entry;
    }
    await zip.finalize();
  } catch (err) {
    zip.destroy(err as Error);
    await upload.catch(() => undefined);
    throw err;
  }
  return upload;
}
