/**
 * Masklets are versioned by round: a correction round's chunks cover only the frames it recomputed.
 * The state "as of round R" takes, for each frame, the chunk of the newest included round that has
 * the frame. Which rounds are included is the caller's choice (the API: R itself and every earlier
 * SUCCEEDED round).
 */
export interface ChunkRange {
  round: number;
  startFrame: number;
  endFrame: number;
}

export interface FrameSegment<C extends ChunkRange> {
  chunk: C;
  /** [from, to) of the chunk's frames this segment takes. */
  from: number;
  to: number;
}

/** Contiguous runs of frames in [from, to), each served by one chunk (newest round wins), in frame order. */
export function resolveFrameSources<C extends ChunkRange>(
  chunks: readonly C[],
  from: number,
  to: number,
): FrameSegment<C>[] {
  const n = Math.max(0, to - from);
  const owner = new Array<C | undefined>(n);
  for (const c of chunks) {
    const a = Math.max(c.startFrame, from);
    const b = Math.min(c.endFrame, to);
    for (let f = a; f < b; f++) {
      const cur = owner[f - from];
      if (!cur || c.round > cur.round) owner[f - from] = c;
    }
  }
  const out: FrameSegment<C>[] = [];
  for (let i = 0; i < n; i++) {
    const c = owner[i];
    if (!c) continue;
    const last = out[out.length - 1];
    if (last && last.chunk === c && last.to === from + i) last.to++;
    else out.push({ chunk: c, from: from + i, to: from + i + 1 });
  }
  return out;
}
