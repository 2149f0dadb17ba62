/**
 * Everything the session knows about one object: its prompts, its conditioning outputs, its
 * non-conditioning outputs (a hot window in memory, the rest in the archive), outputs of prompts
 * not yet consolidated by a propagation, and which frames were tracked in which direction.
 */
import { encodeFrameOutput, FrameOutput, OutputSizes } from './frame-output';
import { OutputArchive } from './output-archive';

export interface PointPrompt {
  /** Interleaved (x, y) in input-square pixels. */
  coords: Float32Array;
  labels: Float32Array;
}

export const enum Tracked {
  No = 0,
  Forward = 1,
  Reverse = 2,
}

export class ObjectTrack {
  readonly points = new Map<number, PointPrompt>();
  /** Frames whose prompt was a mask (the mask itself lives in the cond output). */
  readonly maskFrames = new Set<number>();
  /** Conditioning outputs in insertion order, as the reference's dict keeps them. */
  readonly cond = new Map<number, FrameOutput>();
  readonly tempCond = new Map<number, FrameOutput>();
  readonly tempNonCond = new Map<number, FrameOutput>();
  private readonly hot = new Map<number, FrameOutput>();
  /** 0 none, 1 hot, 2 archived. */
  private readonly nonCondWhere: Uint8Array;
  /** 1 where the frame's non-conditioning output is unchanged since an incremental checkpoint stored it. */
  private readonly persisted: Uint8Array;
  readonly tracked: Uint8Array;

  constructor(
    readonly id: number,
    numFrames: number,
    private readonly archive: OutputArchive,
  ) {
    this.nonCondWhere = new Uint8Array(numFrames);
    this.persisted = new Uint8Array(numFrames);
    this.tracked = new Uint8Array(numFrames);
  }

  hasNonCond(frame: number): boolean {
    return frame >= 0 && frame < this.nonCondWhere.length && this.nonCondWhere[frame] !== 0;
  }

  async getNonCond(frame: number): Promise<FrameOutput | undefined> {
    const where = this.nonCondWhere[frame];
    if (where === 1) return this.hot.get(frame);
    if (where === 2) return this.archive.get(this.id, frame);
    return undefined;
  }

  /** The output in the archive's encoded layout: archived ones are read as stored, with no decode and re-encode. */
  async getNonCondEncoded(frame: number, sizes: OutputSizes): Promise<Buffer | undefined> {
    const where = this.nonCondWhere[frame];
    if (where === 1) return encodeFrameOutput(this.hot.get(frame)!, sizes);
    if (where === 2) return this.archive.getEncoded(this.id, frame);
    return undefined;
  }

  setNonCond(frame: number, output: FrameOutput): void {
    if (this.nonCondWhere[frame] === 2) this.archive.delete(this.id, frame);
    this.hot.set(frame, output);
    this.nonCondWhere[frame] = 1;
    this.persisted[frame] = 0;
  }

  isPersisted(frame: number): boolean {
    return this.persisted[frame] === 1;
  }

  markPersisted(frame: number): void {
    if (this.nonCondWhere[frame] !== 0) this.persisted[frame] = 1;
  }

  /** Every frame holding a non-conditioning output, ascending. */
  nonCondFrames(): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.nonCondWhere.length; f++) if (this.nonCondWhere[f] !== 0) out.push(f);
    return out;
  }

  deleteNonCond(frame: number): FrameOutput | undefined | Promise<FrameOutput | undefined> {
    const where = this.nonCondWhere[frame];
    this.nonCondWhere[frame] = 0;
    this.persisted[frame] = 0;
    if (where === 1) {
      const out = this.hot.get(frame);
      this.hot.delete(frame);
      return out;
    }
    if (where === 2) {
      const pending = this.archive.get(this.id, frame);
      this.archive.delete(this.id, frame);
      return pending;
    }
    return undefined;
  }

  /** Moves hot outputs farther than `window` frames from `frame` to the archive. */
  async evictAround(frame: number, window: number): Promise<void> {
    for (const [f, out] of this.hot) {
      if (Math.abs(f - frame) <= window) continue;
      this.hot.delete(f);
      await this.archive.put(this.id, f, out);
      this.nonCondWhere[f] = 2;
    }
  }

  hotFrames(): IterableIterator<[number, FrameOutput]> {
    return this.hot.entries();
  }

  archivedFrames(): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.nonCondWhere.length; f++) if (this.nonCondWhere[f] === 2) out.push(f);
    return out;
  }

  /** Any output for a frame, newest first: temp, conditioning, then non-conditioning. */
  async latestOutput(frame: number): Promise<FrameOutput | undefined> {
    return (
      this.tempCond.get(frame) ?? this.tempNonCond.get(frame) ?? this.cond.get(frame) ?? (await this.getNonCond(frame))
    );
  }

  clearAll(): void {
    for (let f = 0; f < this.nonCondWhere.length; f++) if (this.nonCondWhere[f] === 2) this.archive.delete(this.id, f);
    this.nonCondWhere.fill(0);
    this.persisted.fill(0);
    this.tracked.fill(0);
    this.hot.clear();
    this.points.clear();
    this.maskFrames.clear();
    this.cond.clear();
    this.tempCond.clear();
    this.tempNonCond.clear();
  }
}
