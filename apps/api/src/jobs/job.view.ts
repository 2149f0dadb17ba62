import type { Job, JobObject, ObjectTrackChunk, Round } from '@masklet/db';
import { resolveFrameSources, unpackTrackStats } from '@masklet/masklets';
import type { JobView, ObjectStatsView, RoundProgressView } from '@masklet/contract';

export type { JobView, ObjectStatsView, RoundProgressView } from '@masklet/contract';

export function toRoundProgress(r: Pick<Round, 'number' | 'status' | 'framesDone' | 'framesTotal'>): RoundProgressView {
  const progress = r.status === 'SUCCEEDED' ? 1 : r.framesTotal > 0 ? Math.min(1, r.framesDone / r.framesTotal) : 0;
  return { number: r.number, status: r.status, framesDone: r.framesDone, framesTotal: r.framesTotal, progress };
}

export function toJobView(
  job: Job,
  extra: { cancelRequested?: boolean; objects?: ObjectStatsView[]; round?: Round | null } = {},
): JobView {
  const { requestSha256: _hidden, ...options } = (job.options ?? {}) as Record<string, unknown>;
  return {
    id: job.id,
    status: job.status,
    videoId: job.videoId,
    batchId: job.batchId,
    model: job.model,
    priority: job.priority,
    progress: job.progress,
    framesDone: job.framesDone,
    framesTotal: job.framesTotal,
    frameRange: { start: job.frameStart, end: job.frameEnd },
    currentRound: job.currentRound,
    ...(extra.round ? { round: toRoundProgress(extra.round) } : {}),
    options: options,
    webhookUrl: job.webhookUrl,
    cancelRequested: extra.cancelRequested ?? false,
    error: job.errorCode || job.error ? { code: job.errorCode ?? 'ERROR', message: job.error ?? '' } : null,
    ...(extra.objects ? { objects: extra.objects } : {}),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** Tracks may span rounds (a correction round's rows cover only its recomputed frames): per frame the newest round counts. */
export function objectStats(objects: JobObject[], tracks: ObjectTrackChunk[]): ObjectStatsView[] {
  const acc = new Map<number, { present: number; area: number }>();
  const byObject = new Map<number, ObjectTrackChunk[]>();
  for (const t of tracks) byObject.set(t.objectId, [...(byObject.get(t.objectId) ?? []), t]);
  for (const [objectId, list] of byObject) {
    const end = Math.max(...list.map((t) => t.endFrame));
    const a = { present: 0, area: 0 };
    for (const seg of resolveFrameSources(list, 0, end)) {
      const t = seg.chunk;
      const stats = unpackTrackStats(
        { presence: Buffer.from(t.presence), areas: Buffer.from(t.areas), boxes: Buffer.from(t.boxes) },
        t.endFrame - t.startFrame,
      );
      for (let f = seg.from; f < seg.to; f++) {
        const s = stats[f - t.startFrame]!;
        if (s.present) {
          a.present++;
          a.area += s.area;
        }
      }
    }
    acc.set(objectId, a);
  }
  return objects.map((o) => {
    const a = acc.get(o.objectId);
    return {
      id: o.objectId,
      label: o.label,
      framesPresent: a?.present ?? 0,
      meanArea: a && a.present > 0 ? a.area / a.present : null,
    };
  });
}
