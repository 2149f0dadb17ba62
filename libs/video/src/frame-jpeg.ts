// One frame of a video (local path or http(s) URL, e.g. a presigned S3 GET) as a JPEG, for viewers.
import { VideoDecodeError } from './errors';
import { spawnTool } from './tool-process';

export interface FrameJpegOptions {
  /** Frames per second of the (constant frame rate) video: frame n is the first frame at or after n / fps. */
  fps: number;
  /** Downscale so the width is at most this (aspect kept); never upscales. */
  maxWidth?: number;
  quality?: number;
  /** Wall-clock limit on ffmpeg (reading a remote input included); past it: VideoDecodeError 'timeout'. */
  timeoutMs?: number;
}

export async function frameJpeg(input: string, frame: number, opts: FrameJpegOptions): Promise<Buffer> {
  // Seek a little before the frame's timestamp so rounding never lands on the next frame; input-side
  // -ss decodes from the previous keyframe and drops frames before the target.
  const t = Math.max(0, (frame - 0.25) / opts.fps);
  const width = opts.maxWidth ?? 960;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-ss',
    t.toFixed(6),
    '-i',
    input,
    '-frames:v',
    '1',
    '-an',
    '-vf',
    `scale='min(${width},iw)':-2`,
    '-q:v',
    String(opts.quality ?? 4),
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    'pipe:1',
  ];
  const proc = spawnTool('ffmpeg', args, 'ignore', opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
  const parts: Buffer[] = [];
  proc.child.stdout!.on('data', (b: Buffer) => parts.push(b));
  const exit = await proc.exited;
  if (exit.timedOut)
    throw new VideoDecodeError(
      'timeout',
      `ffmpeg did not extract frame ${frame} within ${opts.timeoutMs} ms`,
      exit.stderr,
    );
  const jpeg = Buffer.concat(parts);
  if (exit.code !== 0 || jpeg.length === 0) {
    throw new VideoDecodeError(
      'decoder_failed',
      `ffmpeg could not extract frame ${frame}: ${exit.stderr.trim() || `exit ${exit.code}`}`,
    );
  }
  return jpeg;
}
