// A window of consecutive decoded frames, filled forward and served in any order (typically backwards).
// Video codecs only decode forwards, so walking a video backwards frame by frame would re-decode from
// the previous keyframe every step; decoding K frames at once and replaying them in reverse amortises
// that, while the K-frame cap keeps memory bounded however long the video is.

export class ReverseChunk {
  private readonly frames: Uint8Array[] = [];

  constructor(
    /** First frame index held. */
    readonly start: number,
    /** Square size the frames were scaled to. */
    readonly size: number,
    readonly capacity: number,
  ) {}

  get length(): number {
    return this.frames.length;
  }

  /** Last frame index held (start - 1 while empty). */
  get end(): number {
    return this.start + this.frames.length - 1;
  }

  push(frame: Uint8Array): void {
    if (this.frames.length >= this.capacity) throw new Error(`reverse chunk is full (${this.capacity} frames)`);
    this.frames.push(frame);
  }

  has(index: number, size: number): boolean {
    return size === this.size && index >= this.start && index <= this.end;
  }

  get(index: number): Uint8Array {
    const frame = this.frames[index - this.start];
    if (!frame) throw new RangeError(`frame ${index} is not in chunk [${this.start}, ${this.end}]`);
    return frame;
  }
}
