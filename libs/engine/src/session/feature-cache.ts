/**
 * Image features of recently visited frames. Each frame is encoded once for all objects; the frame
 * after the current one (in the direction of travel) is read ahead so decoding overlaps inference.
 */
import type { FrameSource } from '@masklet/video';
import { normalizeSquareRgb } from '../preprocess/normalize';
import { ImageFeatures, SamModel } from '../runtime/sam-model';

export class FeatureCache {
  private readonly entries = new Map<number, Promise<ImageFeatures>>();
  private readAhead: { frame: number; pixels: Promise<Uint8Array> } | undefined;

  constructor(
    private readonly model: SamModel,
    private readonly source: FrameSource,
    private readonly capacity = 2,
  ) {}

  get(frame: number): Promise<ImageFeatures> {
    const hit = this.entries.get(frame);
    if (hit) {
      this.entries.delete(frame);
      this.entries.set(frame, hit);
      return hit;
    }
    const pending = this.encode(frame);
    pending.catch(() => this.entries.delete(frame));
    this.entries.set(frame, pending);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as number);
    return pending;
  }

  /** Starts reading `frame`'s pixels now; its encoding waits until asked for. */
  prefetch(frame: number): void {
    if (frame < 0 || frame >= this.source.info.numFrames || this.entries.has(frame) || this.readAhead?.frame === frame)
      return;
    const pixels = this.source.readSquare(frame, this.model.manifest.imageSize);
    pixels.catch(() => undefined);
    this.readAhead = { frame, pixels };
  }

  private async encode(frame: number): Promise<ImageFeatures> {
    const { imageSize, normalization } = this.model.manifest;
    let pixels: Promise<Uint8Array>;
    if (this.readAhead?.frame === frame) {
      pixels = this.readAhead.pixels;
      this.readAhead = undefined;
    } else {
      pixels = this.source.readSquare(frame, imageSize);
    }
    const image = normalizeSquareRgb(await pixels, imageSize, normalization.mean, normalization.std);
    return this.model.encodeImage(image);
  }

  clear(): void {
    this.entries.clear();
    this.readAhead = undefined;
  }
}
