// Typed failures so callers (the API) can map them to HTTP statuses without parsing messages.

export type VideoProbeErrorCode = 'not_a_video' | 'no_video_stream' | 'no_frames' | 'probe_failed' | 'timeout';

/** The input could not be understood as a video. `not_a_video`, `no_video_stream` and `no_frames` are the client's fault (4xx); `probe_failed` and `timeout` (the input did not arrive in time) are ours or the environment's (5xx). */
export class VideoProbeError extends Error {
  override readonly name = 'VideoProbeError';
  constructor(
    readonly code: VideoProbeErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

export type VideoDecodeErrorCode = 'decoder_failed' | 'frame_unavailable' | 'closed' | 'timeout';

/** Decoding failed after a successful probe (corrupt data, truncated file, source already closed). */
export class VideoDecodeError extends Error {
  override readonly name = 'VideoDecodeError';
  constructor(
    readonly code: VideoDecodeErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}
