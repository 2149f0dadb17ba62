/**
 * An Engine (apps/worker/src/engine/engine-port.ts) that spends a GPU's time instead of computing: each
 * frame waits the latency model's time (gpu-latency.ts) and answers a fixed box mask per object;
 * checkpoints carry `checkpointBytes` per object and frame. Everything the segment processor does
 * around the engine (job state, chunk objects and rows, checkpoints in Redis and S3, progress, queue)
 * stays the production code, so what the benchmark counts is what a fleet pays.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inflateSync } from 'node:zlib';
import type { CapturedCheckpoint, FrameResult, ObjectMask, RoleCalls } from '@masklet/engine';
import { createMask, encodeRle } from '@masklet/masks';
import type { FrameSource, VideoInfo } from '@masklet/video';
import { isChunkBoundary } from '../../../apps/worker/src/engine/chunk-boundary';
import type {
  Engine,
  EngineRun,
  EngineSession,
  PreviewPrompt,
  RoleTimingsSnapshot,
  RunFrame,
  RunOptions,
} from '../../../apps/worker/src/engine/engine-port';
import { frameMs, type GpuLatency } from './gpu-latency';

export interface LatencyEngineOptions {
  latency: GpuLatency;
  /** The installed model the jobs name: the worker serves its segment queue. */
  modelName: string;
  /** Every bench video is the same clip: its size and length. */
  video: VideoInfo;
  /** Checkpoint payload per object and tracked frame (bytes, a multiple of 4). */
  checkpointBytes: number;
}

/** The masks move a little from frame to frame, so chunks do not compress to nothing. */
const MASK_VARIANTS = 8;
const TIMER_SLACK_MS = 2;

export class LatencyEngine implements Engine {
  readonly kind = 'inline';
  readonly device = 'virtual-gpu';
  /** Incompressible filler the checkpoint blobs are cut from (memory features do not deflate much). */
  private readonly filler: Buffer;
  private readonly masks = new Map<number, ObjectMask['rle'][]>();

  constructor(readonly options: LatencyEngineOptions) {
    this.filler = randomBytes(Math.max(4, options.checkpointBytes));
  }

  get modelName(): string {
    return this.options.modelName;
  }

  timings(): RoleTimingsSnapshot {
    return {};
  }

  /** It runs no graphs: the benchmark's figures are the latency model's, not per-role calls. */
  drainCalls(): RoleCalls {
    return {};
  }

  async openVideo(): Promise<FrameSource> {
    return {
      info: this.options.video,
      readSquare: () => Promise.reject(new Error('the latency engine reads no pixels')),
      close: async () => undefined,
    };
  }

  async open(source: FrameSource, _options: unknown, chain?: readonly Buffer[]): Promise<LatencySession> {
    if (!chain) return new LatencySession(this, source, new Set());
    const newest = chain[chain.length - 1];
    if (!newest) throw new Error('empty checkpoint chain');
    const body = inflateSync(newest.subarray(16));
    const header = JSON.parse(
      body.subarray(4, 4 + body.readUInt32LE(0)).toString('utf8'),
    ) as CapturedCheckpoint['header'];
    return new LatencySession(this, source, new Set(header.objects.map((o) => o.id)));
  }

  async close(): Promise<void> {}

  checkpoint(s: LatencySession, frames: readonly number[]): CapturedCheckpoint {
    const perFrame = this.options.checkpointBytes;
    const info = this.options.video;
    const objects = [...s.tracks].map((id) => ({
      id,
      points: [],
      maskFrames: [],
      cond: [],
      tempCond: [],
      tempNonCond: [],
      nonCond: [...frames],
      external: [],
    }));
    return {
      header: {
        model: {
          name: `latency-${this.options.latency.model}`,
          imageSize: 1024,
          hiddenDim: 256,
          memoryDim: 64,
          lowResMaskSize: 256,
          memoryTokens: 4096,
        },
        video: { numFrames: info.numFrames, width: info.width, height: info.height },
        lastFrame: s.lastFrame,
        framesTracked: s.framesTracked,
        hasMemoryPosEnc: false,
        objects,
      },
      blobs: objects.flatMap(() => frames.map(() => this.filler.subarray(0, perFrame))),
      perObject: objects.map((o) => ({
        objectId: o.id,
        outputs: frames.length,
        external: 0,
        rawBytes: frames.length * perFrame,
      })),
    };
  }

  /** A box a quarter of the frame, shifted by object and frame. */
  rle(objectId: number, frame: number): ObjectMask['rle'] {
    let variants = this.masks.get(objectId);
    if (!variants) {
      const { width, height } = this.options.video;
      variants = [];
      for (let v = 0; v < MASK_VARIANTS; v++) {
        const m = createMask(width, height);
        const w = Math.max(1, width >> 2);
        const h = Math.max(1, height >> 2);
        const x0 = Math.min(width - w, ((objectId * 37) % (width - w + 1)) + v);
        const y0 = Math.min(height - h, (objectId * 23) % (height - h + 1));
        for (let y = y0; y < y0 + h; y++) m.data.fill(1, y * width + x0, y * width + x0 + w);
        variants.push(encodeRle(m));
      }
      this.masks.set(objectId, variants);
    }
    return variants[frame % MASK_VARIANTS]!;
  }
}

class LatencySession implements EngineSession {
  lastFrame = -1;
  framesTracked = 0;
  /** Frames tracked since the last capture (an incremental checkpoint holds only those). */
  private readonly unsaved = new Set<number>();
  /** When the virtual GPU finishes its current frame (performance.now()). */
  private gpuFreeAt = 0;

  constructor(
    private readonly engine: LatencyEngine,
    private readonly source: FrameSource,
    readonly tracks: Set<number>,
  ) {}

  get info(): VideoInfo {
    return this.source.info;
  }

  private async compute(frame: number, objects: number, pass: FrameResult['pass']): Promise<FrameResult> {
    // Timers wake up to ~1 ms late: a frame that starts within TIMER_SLACK_MS of the previous one's end
    // continues the GPU's own clock (no drift from timer rounding); a later start (the loop was busy
    // writing, or waiting for a write) begins then, so that time counts against the fleet, as it would.
    const now = performance.now();
    const startAt = now - this.gpuFreeAt <= TIMER_SLACK_MS ? this.gpuFreeAt : now;
    this.gpuFreeAt = startAt + frameMs(this.engine.options.latency, objects);
    if (this.gpuFreeAt > now) await sleep(this.gpuFreeAt - now);
    const { width, height } = this.source.info;
    const box = [width >> 3, height >> 3, width >> 2, height >> 2] as [number, number, number, number];
    return {
      frame,
      pass,
      objects: [...this.tracks].map((objectId) => ({
        objectId,
        rle: this.engine.rle(objectId, frame),
        area: (width >> 2) * (height >> 2),
        bbox: box,
        objectScore: 8,
        predictedIou: 0.9,
      })),
    };
  }

  async addPoints(frame: number, objectId: number): Promise<void> {
    this.tracks.add(objectId);
    await this.compute(frame, 1, 'prompt');
  }

  async addBox(frame: number, objectId: number): Promise<void> {
    this.tracks.add(objectId);
    await this.compute(frame, 1, 'prompt');
  }

  async addMask(frame: number, objectId: number): Promise<void> {
    this.tracks.add(objectId);
    await this.compute(frame, 1, 'prompt');
  }

  /** One prompt's time on the virtual GPU; the object's mask is answered and nothing is kept. */
  async preview(prompt: PreviewPrompt): Promise<FrameResult> {
    const added = !this.tracks.has(prompt.objectId);
    this.tracks.add(prompt.objectId);
    try {
      const result = await this.compute(prompt.frame, 1, 'prompt');
      return { ...result, objects: result.objects.filter((o) => o.objectId === prompt.objectId) };
    } finally {
      if (added) this.tracks.delete(prompt.objectId);
    }
  }

  async removeObjects(objectIds: readonly number[]): Promise<number[]> {
    const removed = objectIds.filter((id) => this.tracks.has(id));
    for (const id of removed) this.tracks.delete(id);
    return removed;
  }

  /** The frames VideoSession.propagate visits, in its order, pausing at chunk boundaries as the engines do. */
  propagate(options: RunOptions): EngineRun {
    const n = this.source.info.numFrames;
    const { startFrame: start, maxFrames } = options;
    const reverse = options.direction === 'backward';
    const order: number[] = [];
    if (reverse) {
      if (start > 0) for (let f = start; f >= Math.max(start - maxFrames, 0); f--) order.push(f);
    } else {
      for (let f = start; f <= Math.min(start + maxFrames, n - 1); f++) order.push(f);
    }
    const step = reverse ? -1 : 1;
    const frames = async function* (this: LatencySession): AsyncGenerator<RunFrame> {
      for (const f of order) {
        const result = await this.compute(f, this.tracks.size, reverse ? 'backward' : 'forward');
        this.lastFrame = f;
        this.framesTracked++;
        this.unsaved.add(f);
        yield { result, boundary: isChunkBoundary(f, step, options.end, options.chunkFrames) };
      }
    }.call(this);
    return Object.assign(frames, {
      boundary: (capture: boolean): Promise<CapturedCheckpoint | null> =>
        capture ? this.capture() : Promise.resolve(null),
    });
  }

  async capture(options: { whole?: boolean } = {}): Promise<CapturedCheckpoint> {
    const frames = options.whole ? [...Array(this.framesTracked).keys()] : [...this.unsaved];
    this.unsaved.clear();
    return this.engine.checkpoint(this, frames);
  }

  async close(): Promise<void> {}
}

/**
 * Frames/s of `n` sessions of this engine propagating side by side with nothing around them: what the
 * latency model itself reaches in this process (on a busy host, timers wake late). A fleet step is
 * judged against this and against the model's ideal, whichever is lower.
 */
export async function engineOnlyFps(
  engine: LatencyEngine,
  n: number,
  objects: number,
  seconds: number,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const numFrames = engine.options.video.numFrames;
  let frames = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      const source = await engine.openVideo();
      while (performance.now() < deadline) {
        const session = await engine.open(source, {});
        for (let id = 1; id <= objects; id++) await session.addPoints(0, id);
        const run = session.propagate({
          startFrame: 0,
          direction: 'forward',
          maxFrames: numFrames,
          end: numFrames - 1,
          chunkFrames: numFrames,
        });
        for await (const _ of run) {
          frames++;
          if (performance.now() >= deadline) break;
        }
      }
    }),
  );
  return frames / ((performance.now() - started) / 1000);
}
