import type { ObjectTrackChunk, PromptKind } from '@masklet/db';
import {
  resolveFrameSources,
  unpackTrackSignals,
  unpackTrackStats,
  type CorrectionAt,
  type FrameSignals,
  type FrameTrackStat,
  type ObjectTimeline,
  type TimelineFrame,
} from '@masklet/masklets';

interface Unpacked {
  chunk: ObjectTrackChunk;
  stats: FrameTrackStat[];
  signals: FrameSignals[];
}

function unpack(t: ObjectTrackChunk): Unpacked {
  const n = t.endFrame - t.startFrame;
  return {
    chunk: t,
    stats: unpackTrackStats(
      { presence: Buffer.from(t.presence), areas: Buffer.from(t.areas), boxes: Buffer.from(t.boxes) },
      n,
    ),
    signals: unpackTrackSignals(t.signals ? Buffer.from(t.signals) : null, n),
  };
}

/** The newest of `chunks` (rounds below `belowRound`, when given) holding `frame`. */
function statAt(chunks: Unpacked[], frame: number, belowRound = Number.POSITIVE_INFINITY): FrameTrackStat | null {
  let best: Unpacked | null = null;
  for (const u of chunks) {
    const c = u.chunk;
    if (c.round >= belowRound || frame < c.startFrame || frame >= c.endFrame) continue;
    if (!best || c.round > best.chunk.round) best = u;
  }
  return best ? best.stats[frame - best.chunk.startFrame]! : null;
}

/**
 * Each object's frames as of a round (newest included round per frame, like masklets and tracks) and
 * its corrections: prompts of a round after the first on a frame an earlier included round had tracked.
 * `tracks` and `prompts` must already be limited to the included rounds.
 */
export function jobTimelines(
  objectIds: readonly number[],
  tracks: readonly ObjectTrackChunk[],
  prompts: readonly { objectId: number; frame: number; round: number; kind: PromptKind }[],
): ObjectTimeline[] {
  return objectIds.map((objectId) => {
    const chunks = tracks.filter((t) => t.objectId === objectId).map(unpack);
    const byId = new Map(chunks.map((u) => [u.chunk, u]));
    const end = Math.max(0, ...chunks.map((u) => u.chunk.endFrame));
    const frames: TimelineFrame[] = [];
    for (const seg of resolveFrameSources(
      chunks.map((u) => u.chunk),
      0,
      end,
    )) {
      const u = byId.get(seg.chunk)!;
      for (let f = seg.from; f < seg.to; f++) {
        const i = f - seg.chunk.startFrame;
        frames.push({ frame: f, round: seg.chunk.round, stat: u.stats[i]!, signals: u.signals[i]! });
      }
    }
    const own = prompts.filter((p) => p.objectId === objectId);
    const corrections: CorrectionAt[] = [];
    for (const p of own) {
      if (p.round < 2) continue;
      const before = statAt(chunks, p.frame, p.round);
      const after = statAt(
        chunks.filter((u) => u.chunk.round === p.round),
        p.frame,
      );
      if (before && after) corrections.push({ frame: p.frame, round: p.round, before, after });
    }
    const masked = new Set(own.filter((p) => p.kind === 'MASK').map((p) => p.frame));
    const clickPrompts = new Set(own.filter((p) => !masked.has(p.frame)).map((p) => p.frame));
    return { objectId, frames, promptedFrames: new Set(own.map((p) => p.frame)), clickPrompts, corrections };
  });
}
