import { Readable } from 'node:stream';
import { fromCocoRle, outerContours } from '@masklet/masks';
import type { StoredObject } from '@masklet/storage';
import type { ExportInput } from './export-input';

/**
 * CVAT for video 1.1: one <track> per object (its category's label), a <polygon> on every frame
 * with masks: the object's largest outer ring where it is present (outside="0"), outside="1" where it
 * is not, every shape a keyframe because each frame's mask is the model's own, not an interpolation.
 * An outside shape repeats the nearest present polygon (CVAT needs points on every shape). Tracks
 * are written one object at a time (a pass over the round's chunks each), so memory stays bounded.
 */
export async function writeCvatXml({ masks, meta, store, key, contentType }: ExportInput): Promise<StoredObject> {
  const { categories } = meta;
  const frames = meta.videoFrames ?? masks.frameCount;
  async function* body(): AsyncGenerator<string> {
    yield '<?xml version="1.0" encoding="utf-8"?>\n<annotations>\n  <version>1.1</version>\n  <meta>\n    <task>\n';
    yield `      <name>${esc(meta.videoName ?? meta.videoId)}</name>\n      <size>${frames}</size>\n      <mode>interpolation</mode>\n      <overlap>0</overlap>\n`;
    yield `      <start_frame>0</start_frame>\n      <stop_frame>${Math.max(0, frames - 1)}</stop_frame>\n      <labels>\n`;
    for (const c of categories.list)
      yield `        <label>\n          <name>${esc(c.name)}</name>\n          <type>polygon</type>\n          <attributes>\n          </attributes>\n        </label>\n`;
    yield `      </labels>\n      <original_size>\n        <width>${masks.width}</width>\n        <height>${masks.height}</height>\n      </original_size>\n    </task>\n`;
    yield `    <source>masklet job ${esc(meta.jobId)} round ${meta.round}</source>\n  </meta>\n`;
    let trackId = 0;
    for (const objectId of categories.objectIds) {
      yield `  <track id="${trackId++}" label="${esc(categories.of(objectId).name)}" source="auto" group_id="0">\n`;
      // Frames before the object's first appearance wait for its first polygon.
      let pending: number[] = [];
      let last: string | null = null;
      for await (const f of masks.frames()) {
        const o = f.objects.find((x) => x.objectId === objectId && x.area > 0);
        const ring = o ? outerContours(fromCocoRle(o.rle))[0] : undefined;
        if (!ring) {
          if (last === null) pending.push(f.frame);
          else yield shape(f.frame, last, true);
          continue;
        }
        last = cvatPoints(ring.points);
        for (const p of pending) yield shape(p, last, true);
        pending = [];
        yield shape(f.frame, last, false);
      }
      // Never present: CVAT still wants points; a zero-size polygon at the origin.
      for (const p of pending) yield shape(p, '0.00,0.00;0.00,0.00;0.00,0.00', true);
      yield '  </track>\n';
    }
    yield '</annotations>\n';
  }
  return store.putStream(key, Readable.from(body()), { contentType });
}

function shape(frame: number, points: string, outside: boolean): string {
  return `    <polygon frame="${frame}" outside="${outside ? 1 : 0}" occluded="0" keyframe="1" points="${points}" z_order="0">\n    </polygon>\n`;
}

/** "x0,y0;x1,y1;..." with two decimals, as CVAT writes them. */
function cvatPoints(points: number[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < points.length; i += 2) pairs.push(`${points[i]!.toFixed(2)},${points[i + 1]!.toFixed(2)}`);
  return pairs.join(';');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
