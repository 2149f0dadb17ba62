/**
 * The in-memory binary mask shared by the RLE codec, the PNG reader and the metrics.
 *
 * Row-major (index = y * width + x) because that is how decoded images, canvases and model
 * outputs are laid out; only the RLE layer speaks COCO's column-major order.
 */

export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 0 or 1, row-major. */
  readonly data: Uint8Array;
}

/** An all-zero mask; callers fill `data` in place. */
export function createMask(width: number, height: number): BinaryMask {
  assertDimensions(width, height);
  return { width, height, data: new Uint8Array(width * height) };
}

export function assertDimensions(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`mask dimensions must be non-negative integers, got ${width}x${height}`);
  }
}

/**
 * Checks the shape contract once at the API boundary so the hot loops can index without guards.
 * Values other than 0/1 are not rejected here (that would cost a full scan); every consumer
 * treats any non-zero byte as foreground.
 */
export function assertMask(mask: BinaryMask, name = 'mask'): void {
  assertDimensions(mask.width, mask.height);
  if (mask.data.length !== mask.width * mask.height) {
    throw new RangeError(
      `${name}: data has ${mask.data.length} bytes, expected ${mask.width}x${mask.height} = ${mask.width * mask.height}`,
    );
  }
}

export function assertSameSize(a: BinaryMask, b: BinaryMask, names: [string, string] = ['pred', 'gt']): void {
  assertMask(a, names[0]);
  assertMask(b, names[1]);
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`mask sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}
