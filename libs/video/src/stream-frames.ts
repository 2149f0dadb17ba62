// Sequential frame iteration for consumers that walk a whole range once (mask exporter, worker
// pre-processing): one ffmpeg process, one frame in memory at a time, no random-access machinery.
import { probeVideo } from './ffprobe';
import { scanFrameIndex } from './frame-index';
import { FfmpegDecoder } from './ffmpeg-decoder';

export interface StreamFramesOptions {
  /** 'native' (default) keeps the video's displayed size; a number stretches to a size x size square (bicubic). */
  size?: number | 'native';
  /** First frame index (inclusive). Default 0. */
  start?: number;
  /** Frame index to stop before (exclusive). Default: end of video. */
  end?: number;
}

export interface StreamedFrame {
  index: number;
  /** RGB24 interleaved, width*height*3 bytes. */
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** Yields frames [start, end) in order. Breaking out of the loop stops ffmpeg. */
export async function* streamFrames(path: string, opts: StreamFramesOptions = {}): AsyncGenerator<StreamedFrame> {
  const probe = await probeVideo(path);
  const start = opts.start ?? 0;
  if (!Number.isInteger(start) || start < 0) throw new RangeError(`start ${start} must be a non-negative integer`);
  if (opts.end !== undefined && (!Number.isInteger(opts.end) || opts.end < start)) {
    throw new RangeError(`end ${opts.end} must be an integer >= start (${start})`);
  }
  const square = opts.size === undefined || opts.size === 'native' ? null : opts.size;
  if (square !== null && (!Number.isInteger(square) || square <= 0))
    throw new RangeError(`size ${square} must be a positive integer`);
  const width = square ?? probe.width;
  const height = square ?? probe.height;
  // Only a seek needs per-frame timestamps; a scan from 0 would just cost an extra pass over the file.
  const index = start > 0 ? await scanFrameIndex(path, probe.timeBase, probe.startTimeSec) : null;
  if (index && start >= index.count) return;
  const maxFrames = opts.end !== undefined ? opts.end - start : undefined;
  if (maxFrames === 0) return;
  const decoder = new FfmpegDecoder(
    { path, container: probe.container, index },
    { start, width, height, ...(maxFrames !== undefined ? { maxFrames } : {}) },
  );
  try {
    for (;;) {
      const at = decoder.nextIndex;
      const rgb = await decoder.next();
      if (!rgb) return;
      yield { index: at, rgb, width, height };
    }
  } finally {
    await decoder.close();
  }
}
