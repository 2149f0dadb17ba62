// Encodes raw RGB24 frames to an H.264 MP4 by streaming them into ffmpeg's stdin. write() waits for
// 'drain' when the pipe is full, so a producer faster than x264 is throttled instead of queueing frames.
import { once } from 'node:events';
import { spawnTool, type ToolProcess } from './tool-process';

export interface Mp4WriterOptions {
  width: number;
  height: number;
  fps: number;
  /** x264 constant rate factor; lower is better quality. Default 12 (visually lossless, keeps test clips faithful). */
  crf?: number;
  /** Keyframe interval in frames; default x264's (250). Small values make seeking tests meaningful on short clips. */
  gop?: number;
  /** x264 preset. Default 'veryfast': at crf 12 it is ~2x faster than 'medium' and the files are no larger. */
  preset?: string;
}

export class Mp4Writer {
  private readonly proc: ToolProcess;
  private readonly frameBytes: number;
  private failed: Error | null = null;
  frames = 0;

  constructor(
    readonly path: string,
    opts: Mp4WriterOptions,
  ) {
    const { width, height, fps } = opts;
    // yuv420p halves chroma resolution, which needs even dimensions.
    if (width % 2 || height % 2) throw new RangeError(`mp4 (yuv420p) needs even dimensions, got ${width}x${height}`);
    this.frameBytes = width * height * 3;
    this.proc = spawnTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'rgb24',
        '-s',
        `${width}x${height}`,
        '-r',
        String(fps),
        '-i',
        'pipe:0',
        '-an',
        '-c:v',
        'libx264',
        '-preset',
        opts.preset ?? 'veryfast',
        '-crf',
        String(opts.crf ?? 12),
        ...(opts.gop !== undefined ? ['-g', String(opts.gop)] : []),
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        path,
      ],
      'pipe',
    );
    void this.proc.exited.then((exit) => {
      if (exit.code !== 0) this.failed = new Error(`ffmpeg encoding ${path} failed: ${exit.stderr}`);
    });
  }

  async write(rgb: Uint8Array): Promise<void> {
    if (rgb.length !== this.frameBytes)
      throw new RangeError(`frame has ${rgb.length} bytes, expected ${this.frameBytes}`);
    this.throwIfFailed();
    const stdin = this.proc.child.stdin!;
    this.frames++;
    if (!stdin.write(rgb)) {
      // Also wake on exit: a crashed encoder never drains.
      await Promise.race([once(stdin, 'drain'), this.proc.exited]);
      this.throwIfFailed();
    }
  }

  /** A method, not an inline check: the exit listener sets `failed` while write() awaits. */
  private throwIfFailed(): void {
    if (this.failed) throw this.failed;
  }

  /** Flushes and waits for the file to be complete. */
  async finish(): Promise<void> {
    this.proc.child.stdin!.end();
    const exit = await this.proc.exited;
    if (exit.code !== 0) throw this.failed ?? new Error(`ffmpeg encoding ${this.path} failed: ${exit.stderr}`);
  }

  async abort(): Promise<void> {
    await this.proc.kill();
  }
}
