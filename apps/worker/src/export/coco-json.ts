import { Readable } from 'node:stream';
import { decompressRle, rleArea, rleBoundingBox } from '@masklet/masks';
import type { StoredObject } from '@masklet/storage';
import type { ExportInput } from './export-input';

/**
 * COCO video annotations (YouTube-VIS flavour, readable as plain COCO): one video, one image per frame
 * with masks (`video_id`, `frame_index`), one category per label, one track per object (`track_id` =
 * object id, also listed under `tracks`), one annotation per object and frame where it is present
 * with compressed RLE, and area / bbox computed from that RLE so the three always agree. Written as a
 * stream of JSON fragments, chunk by chunk.
 */
export async function writeCocoJson({ masks, meta, store, key, contentType }: ExportInput): Promise<StoredObject> {
  const { categories } = meta;
  async function* body(): AsyncGenerator<string> {
    const { width, height } = masks;
    yield `{"info":${JSON.stringify({ description: 'Masklet SAM 2 video segmentation', jobId: meta.jobId, videoId: meta.videoId, round: meta.round, fps: meta.fps, dateCreated: new Date().toISOString() })}`;
    yield `,"videos":[${JSON.stringify({ id: 1, name: meta.videoName ?? meta.videoId, width, height, length: masks.frameCount, fps: meta.fps })}]`;
    yield `,"categories":${JSON.stringify(categories.list.map((c) => ({ id: c.id, name: c.name, supercategory: 'object' })))}`;
    yield `,"tracks":${JSON.stringify(categories.objectIds.map((id) => ({ id, video_id: 1, category_id: categories.of(id).id })))}`;
    yield ',"images":[';
    let first = true;
    for await (const f of masks.frames()) {
      yield `${first ? '' : ','}${JSON.stringify({ id: f.frame + 1, video_id: 1, frame_index: f.frame, file_name: `${String(f.frame).padStart(5, '0')}.jpg`, width, height })}`;
      first = false;
    }
    yield '],"annotations":[';
    first = true;
    let id = 1;
    for await (const f of masks.frames()) {
      for (const o of f.objects) {
        const rle = decompressRle(o.rle);
        const area = rleArea(rle);
        if (area === 0) continue;
        const annotation = {
          id: id++,
          image_id: f.frame + 1,
          video_id: 1,
          frame_index: f.frame,
          category_id: categories.of(o.objectId).id,
          track_id: o.objectId,
          segmentation: o.rle,
          area,
          bbox: rleBoundingBox(rle),
          iscrowd: 0,
          score: o.score,
        };
        yield `${first ? '' : ','}${JSON.stringify(annotation)}`;
        first = false;
      }
    }
    yield ']}';
  }
  return store.putStream(key, Readable.from(body()), { contentType });
}
