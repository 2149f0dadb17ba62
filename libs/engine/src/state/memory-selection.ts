/**
 * Which earlier outputs a frame attends to, following SAM2Base._prepare_memory_conditioned_features:
 * all (or the closest) conditioning frames at t_pos 0, the frames 1..numMaskmem-1 steps back in the
 * direction of travel, and object pointers from conditioning frames in the past plus up to
 * maxObjPtrs-1 recent frames, each with its signed temporal offset. Pure: the caller says what exists.
 */
export interface MemoryRules {
  numMaskmem: number;
  stride: number;
  maxCondFramesInAttn: number;
  maxObjPtrsInEncoder: number;
  useObjPtrsInEncoder: boolean;
  onlyObjPtrsInThePast: boolean;
  signedTpos: boolean;
}

export interface MemoryRef {
  frame: number;
  /** 0 for conditioning frames, 1..numMaskmem-1 for recent frames (1 = oldest). */
  tPos: number;
  /** Looked up among conditioning outputs (selected or not) rather than non-conditioning ones. */
  cond: boolean;
}

export interface PointerRef {
  frame: number;
  offset: number;
  cond: boolean;
}

export interface MemorySelection {
  memory: MemoryRef[];
  pointers: PointerRef[];
}

/** select_closest_cond_frames: the closest before, the closest at/after, then nearest by distance. */
export function selectConditioningFrames(
  frame: number,
  condFrames: readonly number[],
  max: number,
): { selected: number[]; unselected: Set<number> } {
  if (max === -1 || condFrames.length <= max) return { selected: [...condFrames], unselected: new Set() };
  const selected: number[] = [];
  const before = condFrames.filter((t) => t < frame);
  if (before.length) selected.push(Math.max(...before));
  const after = condFrames.filter((t) => t >= frame);
  if (after.length) selected.push(Math.min(...after));
  const rest = condFrames
    .filter((t) => !selected.includes(t))
    .sort((a, b) => Math.abs(a - frame) - Math.abs(b - frame));
  selected.push(...rest.slice(0, Math.max(0, max - selected.length)));
  return { selected, unselected: new Set(condFrames.filter((t) => !selected.includes(t))) };
}

function recentFrame(frame: number, tRel: number, stride: number, reverse: boolean): number {
  if (tRel === 1) return reverse ? frame + 1 : frame - 1;
  if (!reverse) return Math.floor((frame - 2) / stride) * stride - (tRel - 2) * stride;
  return -Math.floor(-(frame + 2) / stride) * stride + (tRel - 2) * stride;
}

export function selectMemory(
  frame: number,
  reverse: boolean,
  numFrames: number,
  condFrames: readonly number[],
  hasNonCond: (frame: number) => boolean,
  rules: MemoryRules,
): MemorySelection {
  const { selected, unselected } = selectConditioningFrames(frame, condFrames, rules.maxCondFramesInAttn);
  const memory: MemoryRef[] = selected.map((t) => ({ frame: t, tPos: 0, cond: true }));
  for (let tPos = 1; tPos < rules.numMaskmem; tPos++) {
    const prev = recentFrame(frame, rules.numMaskmem - tPos, rules.stride, reverse);
    if (hasNonCond(prev)) memory.push({ frame: prev, tPos, cond: false });
    else if (unselected.has(prev)) memory.push({ frame: prev, tPos, cond: true });
  }
  const pointers: PointerRef[] = [];
  if (rules.useObjPtrsInEncoder) {
    const maxPtrs = Math.min(numFrames, rules.maxObjPtrsInEncoder);
    const sign = reverse ? -1 : 1;
    for (const t of selected) {
      if (rules.onlyObjPtrsInThePast && (reverse ? t < frame : t > frame)) continue;
      const offset = rules.signedTpos ? (frame - t) * sign : Math.abs(frame - t);
      pointers.push({ frame: t, offset, cond: true });
    }
    for (let tDiff = 1; tDiff < maxPtrs; tDiff++) {
      const t = reverse ? frame + tDiff : frame - tDiff;
      if (t < 0 || t >= numFrames) break;
      if (hasNonCond(t)) pointers.push({ frame: t, offset: tDiff, cond: false });
      else if (unselected.has(t)) pointers.push({ frame: t, offset: tDiff, cond: true });
    }
  }
  return { memory, pointers };
}
