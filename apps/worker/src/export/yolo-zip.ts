import { fromCocoRle, outerContours } from '@masklet/masks';
import type { StoredObject } from '@masklet/storage';
import type { Categories } from './categories';
import type { ExportInput } from './export-input';
import { writeZipStream, type ZipEntryBody } from './zip-stream';

/**
 * Ultralytics YOLO segmentation labels: `labels/00000.txt` per frame with masks, one line per outer
 * ring of each object, `<class> x1 y1 x2 y2 ...` with coordinates normalised to [0, 1]; `data.yaml`
 * names the classes (class = category id - 1, one per label). Rings follow pixel edges, so filling
 * them gives the mask back except for holes, which the format cannot hold. Frames where no object
 * is present get an empty file (a background image to YOLO). The images themselves are the video's
 * frames (`frame_index` = file name).
 */
export async function writeYoloZip({ masks, meta, store, key, contentType }: ExportInput): Promise<StoredObject> {
  const { width, height } = masks;
  async function* entries(): AsyncGenerator<ZipEntryBody> {
    yield { name: 'data.yaml', data: dataYaml(meta.categories) };
    for await (const f of masks.frames()) {
      const lines: string[] = [];
      for (const o of f.objects) {
        if (o.area === 0) continue;
        const cls = meta.categories.of(o.objectId).id - 1;
        for (const ring of outerContours(fromCocoRle(o.rle)))
          lines.push(`${cls} ${normalise(ring.points, width, height)}`);
      }
      yield {
        name: `labels/${String(f.frame).padStart(5, '0')}.txt`,
        data: lines.length ? `${lines.join('\n')}\n` : '',
      };
    }
  }
  return writeZipStream(store, key, contentType, entries());
}

function normalise(points: number[], width: number, height: number): string {
  const out: string[] = [];
  for (let i = 0; i < points.length; i += 2) out.push(fmt(points[i]! / width), fmt(points[i + 1]! / height));
  return out.join(' ');
}

function fmt(v: number): string {
  return String(Number(v.toFixed(6)));
}

function dataYaml(categories: Categories): string {
  const names = categories.list.map((c) => `  ${c.id - 1}: ${JSON.stringify(c.name)}`);
  return [
    '# Masklet export: labels/<frame>.txt, one line per object outline (class x y ...).',
    'path: .',
    'train: images',
    'val: images',
    `nc: ${categories.list.length}`,
    'names:',
    ...names,
    '',
  ].join('\n');
}
