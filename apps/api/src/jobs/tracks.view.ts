import type { JobObject, ObjectTrackChunk } from '@masklet/db';
import type { TracksView } from '@masklet/contract';
import { resolveFrameSources, unpackTrackStats } from '@masklet/masklets';

/** Swim lanes of a job: per object, the runs of frames where it is present and its prompt markers. */
export function toTracksView(
  round: number,
  frameRange: { start: number; end: number },
  objects: JobObject[],
  tracks: ObjectTrackChunk[],
  prompts: { objectId: number; frame: number; round: number; kind: string }[],
): TracksView {
  const runs = new Map<number, [number, number][]>();
  const byObject = new Map<number, ObjectTrackChunk[]>();
  for (const t of tracks) byObject.set(t.objectId, [...(byObject.get(t.objectId) ?? []), t]);
  for (const [objectId, list] of byObject) {
    const out: [number, number][] = [];
    const end = Math.max(...list.map((t) => t.endFrame));
    for (const seg of resolveFrameSources(list, 0, end)) {
      const t = seg.chunk;
      const stats = unpackTrackStats(
        { presence: Buffer.from(t.presence), areas: Buffer.from(t.areas), boxes: Buffer.from(t.boxes) },
        t.endFrame - t.startFrame,
      );
      for (let f = seg.from; f < seg.to; f++) {
        if (!stats[f - t.startFrame]!.present) continue;
        const last = out[out.length - 1];
        if (last && last[1] === f) last[1] = f + 1;
        else out.push([f, f + 1]);
      }
    }
    runs.set(objectId, out);
  }
  return {
    round,
    framesTotal: Math.max(0, frameRange.end - frameRange.start + 1),
    frameRange,
    objects: objects.map((o) => ({
      id: o.objectId,
      label: o.label,
      present: runs.get(o.objectId) ?? [],
      prompts: prompts
        .filter((p) => p.objectId === o.objectId)
        .map((p) => ({ frame: p.frame, round: p.round, kind: p.kind })),
      removedInRound: o.removedInRound,
    })),
  };
}
