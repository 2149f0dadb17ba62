import { ApiError } from '../common/api-error';

/**
 * Caps the ffmpeg processes frame requests run at once in one API process (each decodes a whole GOP
 * and can take hundreds of MB on a large video). Requests beyond the cap wait their turn; past
 * `maxWaiting` waiters the next one is refused with 503 rather than queued without bound.
 */
export class FrameRenderSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly cap: number,
    private readonly maxWaiting: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.cap) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new ApiError(
          503,
          'FRAME_RENDER_BUSY',
          `${this.cap} frames are being rendered and ${this.waiting.length} more wait (FRAME_RENDER_CONCURRENCY); retry shortly`,
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, so `running` never dips and lets a newcomer jump the line.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
