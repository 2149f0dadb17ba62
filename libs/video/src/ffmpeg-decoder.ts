// One ffmpeg process decoding a video to raw RGB24 frames, starting at a given frame index.
import { spawnTool, type ToolProcess } from './tool-process';
import { RawFrameReader } from './raw-frame-reader';
import { VideoDecodeError } from './errors';
import type { FrameIndex } from './frame-index';

// Containers with a seek index, where ffmpeg's input `-ss` lands on a keyframe at or before the target.
// Elsewhere (MPEG-TS, raw bitstreams) ffmpeg seeks by byte bisection and can land mid-GOP, which
// yields corrupt frames, so those are decoded from the start instead.
const INDEXED_CONTAINERS = /(^|,)(mov|mp4|matroska|webm)(,|$)/;

export interface DecodeInput {
  path: string;
  container: string;
  /** Needed only to start past frame 0. */
  index: FrameIndex | null;
}

export interface DecodeRequest {
  start: number;
  width: number;
  height: number;
  /** Stop after this many frames (ffmpeg exits by itself); unbounded when omitted. */
  maxFrames?: number;
}

export interface StartPlan {
  /** Input-side `-ss` in seconds, or null to decode from the first frame. */
  seekSec: number | null;
  /** Frames to drop with the select filter after decoding starts. */
  dropFrames: number;
}

/**
 * Where to start decoding so that the first frame out is exactly frame `start`.
 * With an index, `-ss` is placed halfway between frame start-1 and frame start: ffmpeg (accurate seek,
 * its default when transcoding) jumps to the keyframe before, decodes, and drops every frame earlier
 * than that time, so the half-frame margin absorbs any rounding. Without one, decode from the start and
 * drop frames by count, which is slow but can't be wrong.
 */
export function planStart(input: DecodeInput, start: number): StartPlan {
  if (start === 0) return { seekSec: null, dropFrames: 0 };
  const times = input.index?.times;
  if (times && INDEXED_CONTAINERS.test(input.container) && start < times.length) {
    const seekSec = (times[start - 1]! + times[start]!) / 2;
    if (seekSec > 0) return { seekSec, dropFrames: 0 };
  }
  return { seekSec: null, dropFrames: start };
}

/** Whether starting past frame 0 is a real seek (cheap) rather than decode-and-drop from frame 0. */
export function canSeek(input: DecodeInput): boolean {
  return !!input.index?.times && INDEXED_CONTAINERS.test(input.container);
}

export class FfmpegDecoder {
  /** Index of the frame the next call to next() returns. */
  nextIndex: number;
  private readonly proc: ToolProcess;
  private readonly reader: RawFrameReader;

  constructor(
    private readonly input: DecodeInput,
    readonly request: DecodeRequest,
  ) {
    const { start, width, height, maxFrames } = request;
    const plan = planStart(input, start);
    const filters = [
      ...(plan.dropFrames > 0 ? [`select=gte(n\\,${plan.dropFrames})`] : []),
      // Always through the scaler, even at native size, so colour conversion uses the same flags on every path.
      `scale=${width}:${height}:flags=bicubic`,
    ];
    const args = [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      ...(plan.seekSec !== null ? ['-ss', plan.seekSec.toFixed(6)] : []),
      '-i',
      input.path,
      '-map',
      '0:v:0',
      '-an',
      '-sn',
      '-dn',
      // One output frame per decoded frame: no duplication or dropping to a constant rate, so output
      // frame k is input frame start+k and indices agree with the frame index.
      '-fps_mode',
      'passthrough',
      '-vf',
      filters.join(','),
      '-pix_fmt',
      'rgb24',
      ...(maxFrames !== undefined ? ['-frames:v', String(maxFrames)] : []),
      '-f',
      'rawvideo',
      'pipe:1',
    ];
    this.nextIndex = start;
    this.proc = spawnTool('ffmpeg', args);
    this.proc.keepAlive(false);
    this.reader = new RawFrameReader(this.proc.child.stdout!, width * height * 3);
  }

  /** The next frame, or null when the video (or maxFrames) ends cleanly. */
  async next(): Promise<Uint8Array | null> {
    let frame: Uint8Array | null;
    this.proc.keepAlive(true);
    try {
      frame = await this.reader.next();
    } catch (err) {
      const exit = await this.proc.kill();
      throw new VideoDecodeError(
        'decoder_failed',
        `ffmpeg failed decoding ${this.input.path} at frame ${this.nextIndex}`,
        exit.stderr || String(err),
      );
    }
    if (frame === null) {
      const exit = await this.proc.exited;
      if (exit.code !== 0) {
        throw new VideoDecodeError(
          'decoder_failed',
          `ffmpeg failed decoding ${this.input.path} at frame ${this.nextIndex}`,
          exit.stderr,
        );
      }
      return null;
    }
    this.proc.keepAlive(false);
    this.nextIndex++;
    return frame;
  }

  async close(): Promise<void> {
    await this.proc.kill();
  }
}
