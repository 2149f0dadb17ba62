import { once } from 'node:events';
import { ZipArchive } from 'archiver';
import type { ObjectStore, StoredObject } from '@masklet/storage';

export interface ZipEntryBody {
  name: string;
  data: Buffer | string;
  /** Already compressed (PNG): stored as is. */
  store?: boolean;
}

/**
 * Streams a zip straight into a multipart upload. One entry is in flight at a time (each append
 * waits for archiver to take the previous one), so memory does not grow with the video.
 */
export async function writeZipStream(
  store: ObjectStore,
  key: string,
  contentType: string,
  entries: AsyncIterable<ZipEntryBody>,
): Promise<StoredObject> {
  const zip = new ZipArchive({ zlib: { level: 1 } });
  const upload = store.putStream(key, zip, { contentType });
  // Set by the listener: declared wide so the checks below are not narrowed to the initial null.
  let failure = null as Error | null;
  zip.on('error', (err) => (failure = err));
  try {
    for await (const e of entries) {
      if (failure) throw failure;
      const taken = once(zip, 'entry');
      zip.append(e.data, { name: e.name, store: e.store ?? false });
      await taken;
    }
    await zip.finalize();
  } catch (err) {
    zip.destroy(err as Error);
    await upload.catch(() => undefined);
    throw err;
  }
  return upload;
}
