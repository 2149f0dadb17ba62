// Reads what the platform needs to know about an uploaded video before accepting it, and classifies
// failures so the API can answer 4xx (bad upload) vs 5xx (our problem).
import { z } from 'zod';
import { runTool, type ToolOptions } from './tool-process';
import { VideoProbeError } from './errors';
import { scanFrameIndex, type TimeBase } from './frame-index';

export interface VideoProbe {
  /** Displayed size: already swapped for 90/270 degree rotation metadata, like the frames ffmpeg decodes. */
  width: number;
  height: number;
  fps: number;
  /** Frames the decoder outputs (see probeVideo for how it is counted). */
  numFrames: number;
  durationSec: number;
  codec: string;
  sizeBytes?: number;
  hasAudio: boolean;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"; decides whether time-based seeking is trusted. */
  container: string;
  /** Degrees from the display matrix (0 when none). */
  rotation: number;
  /** Time base and start of the video stream / file, needed to turn packet timestamps into `-ss` times. */
  timeBase: TimeBase;
  startTimeSec: number;
}

const ratio = z.string().optional();
const streamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  avg_frame_rate: ratio,
  r_frame_rate: ratio,
  time_base: ratio,
  nb_frames: z.string().optional(),
  duration: z.string().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).partial().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() })).optional(),
});
const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: z.string().optional(),
      start_time: z.string().optional(),
      size: z.string().optional(),
    })
    .optional(),
});

// Formats ffprobe "recognises" for things that are not videos: a text file probes as `tty`, a still image as image2 / *_pipe.
const NOT_VIDEO_FORMATS = /^(tty|image2|[a-z0-9]+_pipe)$/;
// Messages meaning "the bytes are not a (complete) media file", as opposed to I/O or environment trouble.
const NOT_VIDEO_MESSAGES =
  /Invalid data found|moov atom not found|could not find codec parameters|End of file|unknown format/i;

/**
 * Probes a file or URL. numFrames is the container's nb_frames only when it agrees with duration x fps;
 * otherwise (missing, as in MKV/WebM, or inflated by an edit list that trims frames) the packets are
 * counted, excluding the ones the edit list discards, so it equals the number of frames ffmpeg decodes.
 */
export async function probeVideo(pathOrUrl: string, opts: ToolOptions = {}): Promise<VideoProbe> {
  const deadline = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs;
  const res = await runTool(
    'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', pathOrUrl],
    undefined,
    opts,
  );
  if (res.timedOut)
    throw new VideoProbeError(
      'timeout',
      `ffprobe did not finish within ${opts.timeoutMs} ms on ${pathOrUrl}`,
      res.stderr,
    );
  if (res.code !== 0) {
    const code = NOT_VIDEO_MESSAGES.test(res.stderr) ? 'not_a_video' : 'probe_failed';
    throw new VideoProbeError(
      code,
      code === 'not_a_video' ? `not a video: ${pathOrUrl}` : `ffprobe failed on ${pathOrUrl}`,
      res.stderr,
    );
  }
  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(res.stdout));
  } catch (err) {
    throw new VideoProbeError('probe_failed', `unexpected ffprobe output for ${pathOrUrl}`, String(err));
  }
  const formatName = parsed.format?.format_name ?? '';
  if (!parsed.format || NOT_VIDEO_FORMATS.test(formatName)) {
    throw new VideoProbeError('not_a_video', `not a video: ${pathOrUrl}`, `format ${formatName || 'unknown'}`);
  }
  // Cover art in audio files shows up as a one-frame video stream; it is not a video.
  const video = parsed.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video || !video.width || !video.height) {
    throw new VideoProbeError('no_video_stream', `no video stream in ${pathOrUrl}`);
  }
  const hasAudio = parsed.streams.some((s) => s.codec_type === 'audio');
  const durationSec = positive(video.duration) ?? positive(parsed.format.duration) ?? 0;
  const startTimeSec = finite(parsed.format.start_time) ?? 0;
  const timeBase = parseRatio(video.time_base) ?? { num: 1, den: 1 };
  const rotation = readRotation(video);
  const swap = Math.abs(rotation) % 180 === 90;

  let fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 0;
  const nbFrames = positive(video.nb_frames);
  const expected = fps > 0 && durationSec > 0 ? durationSec * fps : undefined;
  let numFrames: number;
  if (nbFrames !== undefined && expected !== undefined && Math.abs(nbFrames - expected) <= 1.5) {
    numFrames = nbFrames;
  } else {
    const left = deadline === undefined ? {} : { timeoutMs: Math.max(1, deadline - Date.now()) };
    numFrames = (await scanFrameIndex(pathOrUrl, timeBase, startTimeSec, left)).count;
  }
  if (numFrames <= 0) throw new VideoProbeError('no_frames', `video stream of ${pathOrUrl} has no frames`);
  if (fps <= 0) fps = durationSec > 0 ? numFrames / durationSec : 0;
  if (fps <= 0) throw new VideoProbeError('no_frames', `cannot determine the frame rate of ${pathOrUrl}`);

  const size = positive(parsed.format.size);
  return {
    width: swap ? video.height : video.width,
    height: swap ? video.width : video.height,
    fps,
    numFrames,
    durationSec: durationSec || numFrames / fps,
    codec: video.codec_name ?? 'unknown',
    ...(size !== undefined ? { sizeBytes: size } : {}),
    hasAudio,
    container: formatName,
    rotation,
    timeBase,
    startTimeSec,
  };
}

function finite(s: string | undefined): number | undefined {
  if (s === undefined || s === 'N/A') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function positive(s: string | undefined): number | undefined {
  const n = finite(s);
  return n !== undefined && n > 0 ? n : undefined;
}

function parseRatio(s: string | undefined): TimeBase | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s ?? '');
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = Number(m[2]);
  return num > 0 && den > 0 ? { num, den } : undefined;
}

function rate(s: string | undefined): number | undefined {
  const r = parseRatio(s);
  return r ? r.num / r.den : undefined;
}

function readRotation(stream: z.infer<typeof streamSchema>): number {
  const fromMatrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const fromTag = finite(stream.tags?.['rotate']);
  return Math.round(fromMatrix ?? fromTag ?? 0);
}
