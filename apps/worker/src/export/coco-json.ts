import { Readable } from 'node:stream';
import type { ObjectStore, StoredObject } from '@masklet/storage';
import type { RoundMasks } from './round-masks';

export interface CocoMeta {
  jobId: string;
  videoId: string;
  round: number;
  fps: number | null;
  labels: Map<number, string | null>;
}

/**
 * COCO-style video annotations (YouTube-VIS flavour): one image per frame with masks, one
 * annotation per object per frame where it is present (compressed RLE, bbox [x, y, w, h], area),
 * categories = the job's objects. Written as a stream of JSON fragments, chunk by chunk.
 */
export async function writeCocoJson(masks: RoundMasks, meta: CocoMeta, store: ObjectStore, key: string): Promise<StoredObject> {
  async function* body(): AsyncGenerator<string> {
    const { width, height } = masks;
    yield `{"info":${JSON.stringify({ description: 'Masklet SAM 2 video segmentation', jobId: meta.jobId, videoId: meta.videoId, round: meta.round, fps: meta.fps, dateCreated: new Date().toISOString() })}`;
    yield `,"videos":[${JSON.stringify({ id: 1, width, height, length: masks.frameCount })}]`;
    yield `,"categories":${JSON.stringify([...meta.labels.entries()].sort((a, b) => a[0] - b[0]).map(([id, label]) => ({ id, name: label ?? `object ${id}`, supercategory: 'object' })))}`;
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
        if (o.area === 0 || !o.bbox) continue;
        yield `${first ? '' : ','}${JSON.stringify({ id: id++, image_id: f.frame + 1, video_id: 1, category_id: o.objectId, track_id: o.objectId, segmentation: o.rle, area: o.area, bbox: o.bbox, iscrowd: 0, score: o.score })}`;
        first = false;
      }
    }
    yield ']}';
  }
  return store.putStream(key, Readable.from(body()), { contentType: 'application/json' });
}
