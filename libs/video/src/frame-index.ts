// Per-frame presentation times and keyframe positions, read from the container's packets (no decoding).
// Random access needs them: ffmpeg seeks by time, the engine asks by frame number, and the two only line
// up if we know every frame's timestamp. Packets the container's edit list discards (flag "D") are
// skipped because the decoder drops them too; that is why this count can be lower than nb_frames.
import { createInterface } from 'node:readline';
import { spawnTool, type ToolOptions } from './tool-process';
import { VideoProbeError } from './errors';

export interface FrameIndex {
  /** Frames the decoder will output. */
  count: number;
  /** Presentation time of each frame in seconds, relative to the file start (the origin of ffmpeg's `-ss`); null when timestamps are missing or not strictly increasing, which makes time-based seeking unsafe. */
  times: Float64Array | null;
  /** Frame indices that are keyframes, ascending. */
  keyframes: Int32Array;
}

export interface TimeBase {
  num: number;
  den: number;
}

/** Streams the video packet list through ffprobe; memory is a few numbers per frame, never frame data. */
export async function scanFrameIndex(
  path: string,
  timeBase: TimeBase,
  startTimeSec: number,
  opts: ToolOptions = {},
): Promise<FrameIndex> {
  const proc = spawnTool(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', path],
    'ignore',
    opts,
  );
  const pts: number[] = [];
  const keyPts: number[] = [];
  let missingPts = false;
  const lines = createInterface({ input: proc.child.stdout!, crlfDelay: Infinity });
  for await (const line of lines) {
    const [ptsField, flags] = line.split(',');
    if (ptsField === undefined || flags === undefined || ptsField === '') continue;
    if (flags.includes('D')) continue;
    const value = Number(ptsField);
    if (!Number.isFinite(value)) {
      missingPts = true;
      pts.push(pts.length);
      continue;
    }
    pts.push(value);
    if (flags.includes('K')) keyPts.push(value);
  }
  const exit = await proc.exited;
  if (exit.timedOut)
    throw new VideoProbeError(
      'timeout',
      `ffprobe did not list the packets of ${path} within ${opts.timeoutMs} ms`,
      exit.stderr,
    );
  if (exit.code !== 0) {
    throw new VideoProbeError('probe_failed', `ffprobe could not list packets of ${path}`, exit.stderr);
  }
  pts.sort((a, b) => a - b);
  let increasing = !missingPts;
  for (let i = 1; i < pts.length && increasing; i++) increasing = pts[i]! > pts[i - 1]!;
  const times = increasing ? Float64Array.from(pts, (p) => (p * timeBase.num) / timeBase.den - startTimeSec) : null;
  const keyframes = increasing
    ? Int32Array.from(keyPts.map((k) => lowerBound(pts, k)).sort((a, b) => a - b))
    : new Int32Array([0]);
  return { count: pts.length, times, keyframes };
}

/** Index of the first element >= value in an ascending array. */
function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when some keyframe k satisfies from < k <= to, i.e. a fresh seek would skip decoding work. */
export function keyframeBetween(index: FrameIndex, from: number, to: number): boolean {
  const k = lowerBound(index.keyframes, from + 1);
  return k < index.keyframes.length && index.keyframes[k]! <= to;
}
