/**
 * The frames a job covers, and the propagation passes that reach them. One definition shared by the
 * API (framesTotal at submission, correction checks) and the worker (passes of every round), so the
 * job's size never changes while it runs.
 *
 * `maxFrames: N` means exactly N frames in each direction of travel, the start frame included (the
 * engine's own `maxFrames`, like SAM 2's max_frame_num_to_track, counts frames after the start).
 */
export type Direction = 'forward' | 'backward' | 'both';

export interface RangeOptions {
  direction: Direction;
  startFrame: number;
  maxFrames?: number | undefined;
}

/** Inclusive frame interval. */
export interface FrameRange {
  start: number;
  end: number;
}

/** One engine propagate call: frames start..end inclusive, in travel order. */
export interface Pass {
  reverse: boolean;
  start: number;
  end: number;
}

export function frameRangeSize(r: FrameRange): number {
  return Math.max(0, r.end - r.start + 1);
}

export function inFrameRange(r: FrameRange, frame: number): boolean {
  return frame >= r.start && frame <= r.end;
}

/** Where a job starts when the client names no start frame: its first prompted frame in the direction of travel. */
export function defaultStartFrame(direction: Direction, promptFrames: readonly number[]): number {
  return direction === 'backward' ? Math.max(...promptFrames) : Math.min(...promptFrames);
}

/** The job's frames on a video of `numFrames` frames (empty, end < start, when the start is outside). */
export function jobFrameRange(o: RangeOptions, numFrames: number): FrameRange {
  const s = o.startFrame;
  if (s < 0 || s >= numFrames) return { start: s, end: s - 1 };
  const n = Math.max(1, o.maxFrames ?? numFrames);
  const start = o.direction === 'forward' ? s : Math.max(0, s - n + 1);
  const end = o.direction === 'backward' ? s : Math.min(numFrames - 1, s + n - 1);
  return { start, end };
}

/** A backward pass that starts at frame 0 yields nothing in the engine: that single frame is a forward step. */
function backward(from: number, to: number): Pass {
  return from === 0 ? { reverse: false, start: 0, end: 0 } : { reverse: true, start: from, end: to };
}

/** Round 1: from the start frame to the range's ends, forward first. */
export function initialPasses(o: RangeOptions, range: FrameRange): Pass[] {
  if (frameRangeSize(range) === 0) return [];
  const s = o.startFrame;
  const fwd: Pass = { reverse: false, start: s, end: range.end };
  if (o.direction === 'forward') return [fwd];
  if (o.direction === 'backward') return [backward(s, range.start)];
  return s > range.start ? [fwd, backward(s, range.start)] : [fwd];
}

/**
 * A correction round: only what its prompts can reach, inside the job's range. Forward from the
 * earliest prompted frame to the end ('forward', 'both'); backward from the latest to the start
 * ('backward'); 'both' also goes backward from the earliest (frames between earliest and latest are
 * reached by the forward pass, which conditions on every corrected frame). No prompts, no pass.
 */
export function correctionPasses(direction: Direction, promptFrames: readonly number[], range: FrameRange): Pass[] {
  const frames = promptFrames.filter((f) => inFrameRange(range, f));
  if (frames.length === 0) return [];
  const earliest = Math.min(...frames);
  const latest = Math.max(...frames);
  if (direction === 'forward') return [{ reverse: false, start: earliest, end: range.end }];
  if (direction === 'backward') return [backward(latest, range.start)];
  const out: Pass[] = [{ reverse: false, start: earliest, end: range.end }];
  if (earliest > range.start) out.push(backward(earliest, range.start));
  return out;
}

/** Distinct frames the passes produce (a frame visited twice counts once). */
export function plannedFrames(passes: readonly Pass[]): Set<number> {
  const set = new Set<number>();
  for (const p of passes) {
    const step = p.reverse ? -1 : 1;
    for (let f = p.start; ; f += step) {
      set.add(f);
      if (f === p.end) break;
    }
  }
  return set;
}
