import type { FrameRange, JobView, TracksView } from './types';

/**
 * The job's inclusive frame range: the API's `frameRange` when it sends one, else derived from the job's
 * options the way the job was planned (from startFrame, `maxFrames` frames per direction, within the
 * video). Never from the current round: a round recomputes part of the job, the job stays the same.
 */
export function jobFrameRange(job: JobView, frameCount: number | null, tracks?: TracksView | null): FrameRange {
  if (job.frameRange) return job.frameRange;
  if (tracks?.frameRange) return tracks.frameRange;
  const n = Math.max(1, frameCount ?? job.framesTotal);
  const o = job.options ?? {};
  const s = Math.min(n - 1, o.startFrame ?? 0);
  const cap = o.maxFrames ?? n;
  const fwdEnd = Math.min(n - 1, s + cap - 1);
  const bwdStart = Math.max(0, s - cap + 1);
  if (o.direction === 'backward') return { start: bwdStart, end: s };
  if (o.direction === 'both') return { start: bwdStart, end: fwdEnd };
  return { start: s, end: fwdEnd };
}

export const rangeSize = (r: FrameRange): number => r.end - r.start + 1;
export const clampToRange = (f: number, r: FrameRange): number => Math.min(r.end, Math.max(r.start, f));
