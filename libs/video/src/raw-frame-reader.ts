// Cuts a raw video byte stream (ffmpeg stdout) into fixed-size frames, pulling only when asked.
// Pulling on demand is the backpressure: while nobody calls next(), the stream stays paused, the OS
// pipe fills and ffmpeg blocks on write, so at most one frame plus a pipe buffer is ever in memory.
import type { Readable } from 'node:stream';

export class RawFrameReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private leftover: Buffer | null = null;
  private done = false;

  constructor(
    stream: Readable,
    readonly frameBytes: number,
  ) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next whole frame, or null at a clean end of stream. Throws if the stream ends mid-frame. */
  async next(): Promise<Uint8Array | null> {
    if (this.done) return null;
    const frame = new Uint8Array(this.frameBytes);
    let filled = 0;
    while (filled < this.frameBytes) {
      let chunk = this.leftover;
      this.leftover = null;
      if (!chunk) {
        const r = await this.chunks.next();
        if (r.done) {
          this.done = true;
          if (filled === 0) return null;
          throw new Error(`stream ended after ${filled} of ${this.frameBytes} bytes of a frame`);
        }
        chunk = r.value;
      }
      const take = Math.min(chunk.length, this.frameBytes - filled);
      frame.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take < chunk.length) this.leftover = chunk.subarray(take);
    }
    return frame;
  }
}
