/**
 * Incremental COCO RLE writer.
 *
 * Lets the engine emit runs straight from a thresholded logit stream (walked column by column)
 * without allocating a full-frame mask first. Runs are merged as they arrive, so the result is
 * the same canonical RLE `encodeRle` would produce for the equivalent mask.
 */
import { assertDimensions } from './binary-mask';
import type { Rle } from './rle';

export class RleBuilder {
  private readonly counts: number[] = [];
  private value = 0;
  private run = 0;
  private written = 0;
  private finished = false;
  private readonly total: number;

  /** Same (width, height) order as the rest of this library; the RLE's `size` is still [h, w]. */
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    assertDimensions(width, height);
    this.total = width * height;
  }

  /** Pixels pushed so far, in column-major order. */
  get length(): number {
    return this.written;
  }

  /**
   * Appends `runLength` pixels of `value` (any truthy value is foreground) in column-major order.
   * Zero-length runs are ignored so callers need not filter them.
   */
  push(value: number | boolean, runLength = 1): this {
    if (this.finished) throw new Error('RleBuilder: push after finish()');
    if (!Number.isInteger(runLength) || runLength < 0) {
      throw new RangeError(`RleBuilder: runLength must be a non-negative integer, got ${runLength}`);
    }
    if (runLength === 0) return this;
    if (this.written + runLength > this.total) {
      throw new RangeError(
        `RleBuilder: ${this.written + runLength} pixels pushed into a ${this.height}x${this.width} mask`,
      );
    }
    const v = value ? 1 : 0;
    if (v !== this.value) {
      this.counts.push(this.run);
      this.run = 0;
      this.value = v;
    }
    this.run += runLength;
    this.written += runLength;
    return this;
  }

  /** Closes the RLE. Throws if fewer than height*width pixels were pushed: a short RLE is corrupt. */
  finish(): Rle {
    if (this.finished) throw new Error('RleBuilder: finish() called twice');
    if (this.written !== this.total) {
      throw new RangeError(`RleBuilder: ${this.written} of ${this.total} pixels pushed`);
    }
    this.finished = true;
    this.counts.push(this.run);
    return { size: [this.height, this.width], counts: this.counts };
  }
}
