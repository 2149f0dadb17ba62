import type { MaskletConfig } from '@masklet/config';
import { probeVideo, VideoProbeError, type VideoProbe } from '@masklet/video';
import { ApiError } from '../common/api-error';

/**
 * ffprobe over a (presigned) URL; failures become 4xx naming the problem, 503 when the object did not
 * arrive within `timeoutMs` (FFPROBE_TIMEOUT_MS), or 502 when the probe itself broke.
 */
export async function probeStoredVideo(url: string, what: string, timeoutMs: number): Promise<VideoProbe> {
  try {
    return await probeVideo(url, { timeoutMs });
  } catch (err) {
    if (err instanceof VideoProbeError) {
      switch (err.code) {
        case 'not_a_video':
          throw new ApiError(415, 'NOT_A_VIDEO', `${what} is not a video: ffprobe cannot read it as a media file`);
        case 'no_video_stream':
          throw new ApiError(422, 'NO_VIDEO_STREAM', `${what} has no video stream`);
        case 'no_frames':
          throw new ApiError(422, 'NO_FRAMES', `${what} has no decodable frames`);
        case 'timeout':
          throw new ApiError(
            503,
            'PROBE_TIMEOUT',
            `probing ${what} took longer than FFPROBE_TIMEOUT_MS (${timeoutMs} ms); retry later`,
          );
        default:
          throw new ApiError(
            502,
            'PROBE_FAILED',
            `could not probe ${what}: ${err.message.replace(/https?:\/\/\S+/g, '<object>')}`,
          );
      }
    }
    throw err;
  }
}

/** MAX_VIDEO_SECONDS / MAX_VIDEO_FRAMES / MAX_VIDEO_PIXELS. */
export function checkVideoLimits(probe: VideoProbe, config: MaskletConfig, what: string): void {
  if (probe.durationSec > config.MAX_VIDEO_SECONDS) {
    throw new ApiError(
      422,
      'VIDEO_TOO_LONG',
      `${what} lasts ${probe.durationSec.toFixed(1)} s; the limit is ${config.MAX_VIDEO_SECONDS} s`,
    );
  }
  if (probe.numFrames > config.MAX_VIDEO_FRAMES) {
    throw new ApiError(
      422,
      'VIDEO_TOO_MANY_FRAMES',
      `${what} has ${probe.numFrames} frames; the limit is ${config.MAX_VIDEO_FRAMES}`,
    );
  }
  if (probe.width > 0xffff || probe.height > 0xffff) {
    throw new ApiError(
      422,
      'VIDEO_TOO_LARGE',
      `${what} is ${probe.width}x${probe.height}; at most 65535 pixels per side`,
    );
  }
  const pixels = probe.width * probe.height;
  if (pixels > config.MAX_VIDEO_PIXELS) {
    throw new ApiError(
      422,
      'VIDEO_TOO_LARGE',
      `${what} is ${probe.width}x${probe.height} = ${pixels} pixels per frame; the limit is ${config.MAX_VIDEO_PIXELS}`,
    );
  }
}
