// FrameSource over a video file, decoding with ffmpeg on demand. The access patterns SAM 2 produces are
// forward propagation (i, i+1, ...), a jump to a prompted frame, and backward propagation (i, i-1, ...);
// each gets its own strategy so none of them degrades to decoding the whole video per frame.
import { assertFrameRequest, type FrameSource, type VideoInfo } from './frame-source';
import { probeVideo, type VideoProbe } from './ffprobe';
import { keyframeBetween, scanFrameIndex, type FrameIndex } from './frame-index';
import { canSeek, FfmpegDecoder, type DecodeInput } from './ffmpeg-decoder';
import { ReverseChunk } from './reverse-chunk';
import { VideoDecodeError } from './errors';

export interface VideoFileOptions {
  /** Frames decoded per backward step (K): memory for backward reads is K frames. Default 32. */
  reverseChunkFrames?: number;
  /** A forward jump of more than this many frames restarts decoding at the target when a keyframe lies in between (cheaper than decoding and piping the gap). Default 16. */
  forwardSkipFrames?: number;
}

/** Counters for tests and benchmarks; cheap to keep, so always on. */
export interface VideoReadStats {
  /** ffmpeg processes started (each costs a spawn and a seek). */
  decoderStarts: number;
  /** Frames received from ffmpeg, including ones skipped over. */
  framesDecoded: number;
  /** Backward chunks decoded. */
  chunkLoads: number;
  /** Frames held right now in the reverse chunk. */
  bufferedFrames: number;
  /** High-water mark of bufferedFrames; never exceeds reverseChunkFrames. */
  maxBufferedFrames: number;
}

export interface VideoFileSource extends FrameSource {
  readonly probe: VideoProbe;
  stats(): VideoReadStats;
}

export async function openVideoFile(path: string, opts: VideoFileOptions = {}): Promise<VideoFileSource> {
  const probe = await probeVideo(path);
  const index = await scanFrameIndex(path, probe.timeBase, probe.startTimeSec);
  return new VideoFileReader(path, probe, index, opts);
}

class VideoFileReader implements VideoFileSource {
  readonly info: VideoInfo;
  private readonly input: DecodeInput;
  private readonly chunkFrames: number;
  private readonly skipFrames: number;
  private decoder: FfmpegDecoder | null = null;
  private chunk: ReverseChunk | null = null;
  private lastIndex = -1;
  private closed = false;
  // Calls are serialised: each strategy assumes it owns the decoder state between awaits.
  private queue: Promise<unknown> = Promise.resolve();
  private readonly counters: VideoReadStats = {
    decoderStarts: 0,
    framesDecoded: 0,
    chunkLoads: 0,
    bufferedFrames: 0,
    maxBufferedFrames: 0,
  };

  constructor(
    path: string,
    readonly probe: VideoProbe,
    index: FrameIndex,
    opts: VideoFileOptions,
  ) {
    // The packet scan counts what the decoder really emits, so it wins over the container's header.
    this.info = { numFrames: index.count, width: probe.width, height: probe.height, fps: probe.fps };
    this.input = { path, container: probe.container, index };
    this.chunkFrames = Math.max(1, Math.floor(opts.reverseChunkFrames ?? 32));
    this.skipFrames = Math.max(0, Math.floor(opts.forwardSkipFrames ?? 16));
  }

  stats(): VideoReadStats {
    return { ...this.counters, bufferedFrames: this.chunk?.length ?? 0 };
  }

  readSquare(index: number, size: number): Promise<Uint8Array> {
    const run = this.queue.then(() => this.read(index, size));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.dropDecoder();
    this.chunk = null;
  }

  private async read(index: number, size: number): Promise<Uint8Array> {
    if (this.closed) throw new VideoDecodeError('closed', 'video source is closed');
    assertFrameRequest(this.info, index, size);
    const last = this.lastIndex;
    this.lastIndex = index;
    // Copies, because the chunk keeps its frames for the next calls and callers may write into theirs.
    if (this.chunk?.has(index, size)) return this.chunk.get(index).slice();
    const chunkStart = this.chunk?.size === size ? this.chunk.start : -1;
    if (index === last - 1 || index === chunkStart - 1) {
      await this.loadChunkEndingAt(index, size);
      return this.chunk!.get(index).slice();
    }
    return this.readForward(index, size);
  }

  /** Forward or random access: keep the running decoder when the target is ahead of it, else restart at the target. */
  private async readForward(index: number, size: number): Promise<Uint8Array> {
    this.chunk = null;
    const d = this.decoder;
    const reusable =
      d !== null &&
      d.request.width === size &&
      d.nextIndex <= index &&
      !(
        index - d.nextIndex > this.skipFrames &&
        canSeek(this.input) &&
        keyframeBetween(this.input.index!, d.nextIndex, index)
      );
    if (!reusable) {
      await this.dropDecoder();
      this.decoder = this.startDecoder(index, size);
    }
    const decoder = this.decoder!;
    try {
      while (decoder.nextIndex < index) await this.pull(decoder);
      return await this.pull(decoder);
    } catch (err) {
      await this.dropDecoder();
      throw err;
    }
  }

  /** Backward access: decode [index-K+1, index] in one pass, then serve it from memory in reverse. */
  private async loadChunkEndingAt(index: number, size: number): Promise<void> {
    await this.dropDecoder();
    this.chunk = null; // release the old chunk before filling the new one: at most K frames at any time
    const start = Math.max(0, index - this.chunkFrames + 1);
    const count = index - start + 1;
    const chunk = new ReverseChunk(start, size, this.chunkFrames);
    const decoder = this.startDecoder(start, size, count);
    try {
      for (let i = 0; i < count; i++) {
        chunk.push(await this.pull(decoder));
        this.counters.maxBufferedFrames = Math.max(this.counters.maxBufferedFrames, chunk.length);
      }
    } finally {
      await decoder.close();
    }
    this.counters.chunkLoads++;
    this.chunk = chunk;
  }

  private startDecoder(start: number, size: number, maxFrames?: number): FfmpegDecoder {
    this.counters.decoderStarts++;
    return new FfmpegDecoder(this.input, {
      start,
      width: size,
      height: size,
      ...(maxFrames !== undefined ? { maxFrames } : {}),
    });
  }

  private async pull(decoder: FfmpegDecoder): Promise<Uint8Array> {
    const at = decoder.nextIndex;
    const frame = await decoder.next();
    if (!frame) {
      throw new VideoDecodeError(
        'frame_unavailable',
        `${this.input.path} ended before frame ${at} (expected ${this.info.numFrames} frames)`,
      );
    }
    this.counters.framesDecoded++;
    return frame;
  }

  private async dropDecoder(): Promise<void> {
    const d = this.decoder;
    this.decoder = null;
    if (d) await d.close();
  }
}
