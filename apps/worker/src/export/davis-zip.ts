import { writeIndexedPng } from '@masklet/masks';
import type { StoredObject } from '@masklet/storage';
import type { ExportInput } from './export-input';
import { labelImage } from './label-image';
import { writeZipStream, type ZipEntryBody } from './zip-stream';

/** DAVIS / YouTube-VOS layout: one 8-bit palette PNG per frame (00000.png ...), palette index = object id, DAVIS palette. */
export async function writeDavisZip({ masks, store, key, contentType }: ExportInput): Promise<StoredObject> {
  async function* entries(): AsyncGenerator<ZipEntryBody> {
    for await (const frame of masks.frames()) {
      const png = writeIndexedPng(labelImage(frame, masks.width, masks.height), masks.width, masks.height);
      // PNGs are already deflated: store them.
      yield { name: `${String(frame.frame).padStart(5, '0')}.png`, data: png, store: true };
    }
  }
  return writeZipStream(store, key, contentType, entries());
}
