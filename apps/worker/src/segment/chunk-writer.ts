import type { PrismaClient } from '@masklet/db';
import type { FrameResult } from '@masklet/engine';
import { rleToString } from '@masklet/masks';
import {
  CHUNK_FORMAT,
  chunkKey,
  encodeChunk,
  packTrackSignals,
  packTrackStats,
  type ChunkFrame,
  type FrameSignals,
  type FrameTrackStat,
} from '@masklet/masklets';
import type { ObjectStore } from '@masklet/storage';

/** Prisma's Bytes fields want a Uint8Array over a plain ArrayBuffer. */
function bytes(b: Buffer): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(b.length));
  out.set(b);
  return out;
}

export interface ChunkTarget {
  jobId: string;
  tenantId: string;
  round: number;
  width: number;
  height: number;
  /** Frames per chunk; chunk boundaries sit at multiples of it, whatever the start frame or direction. */
  chunkFrames: number;
}

export interface WrittenChunk {
  startFrame: number;
  endFrame: number;
  key: string;
  bytes: number;
  sha256: string;
}

/**
 * Groups propagated frames into chunks (contiguous frame ranges inside one aligned block of
 * chunkFrames) and writes each: the gzip JSON object to S3 first, then — only once the put
 * succeeded — the MaskletChunk row and one ObjectTrackChunk row per object, upserted in one
 * transaction. Keys and rows are deterministic in (job, round, startFrame), so a redone job
 * overwrites with identical bytes and never adds rows; a crash between the put and the rows leaves
 * an orphan object that the redo overwrites.
 *
 * Backward passes deliver frames in descending order; a chunk is stored ascending either way.
 */
export class ChunkWriter {
  private pending: ChunkFrame[] = [];
  /** Decoder signals of the pending frames (frame -> objectId -> signals), stored with the track stats. */
  private signals = new Map<number, Map<number, FrameSignals>>();
  private readonly seen = new Set<number>();
  framesWritten = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: ObjectStore,
    private readonly target: ChunkTarget,
  ) {}

  private block(frame: number): number {
    return Math.floor(frame / this.target.chunkFrames);
  }

  /** Adds one frame; returns the chunk written when this frame closed one. Frames seen before (the start frame again in the backward pass of 'both') are skipped. */
  async add(result: FrameResult): Promise<WrittenChunk | null> {
    if (this.seen.has(result.frame)) return null;
    let written: WrittenChunk | null = null;
    const last = this.pending[this.pending.length - 1];
    if (last && (Math.abs(result.frame - last.frame) !== 1 || this.block(result.frame) !== this.block(last.frame)))
      written = await this.flush();
    this.seen.add(result.frame);
    this.signals.set(
      result.frame,
      new Map(result.objects.map((o) => [o.objectId, { score: o.objectScore, iou: o.predictedIou }])),
    );
    this.pending.push({
      frame: result.frame,
      objects: [...result.objects]
        .sort((a, b) => a.objectId - b.objectId)
        .map((o) => ({
          objectId: o.objectId,
          rle: { size: o.rle.size, counts: rleToString(o.rle.counts) },
          area: o.area,
          bbox: o.bbox,
          score: Number(o.objectScore.toFixed(4)),
        })),
    });
    return written;
  }

  /** Frames an earlier attempt of this round already wrote: never written again, counted as done. */
  seed(frames: Iterable<number>): void {
    for (const f of frames) {
      if (this.seen.has(f)) continue;
      this.seen.add(f);
      this.framesWritten++;
    }
  }

  /** Frames buffered and not yet written (dropped on cancel). */
  get buffered(): number {
    return this.pending.length;
  }

  discard(): void {
    this.pending = [];
    this.signals.clear();
  }

  async flush(): Promise<WrittenChunk | null> {
    if (this.pending.length === 0) return null;
    const frames = [...this.pending].sort((a, b) => a.frame - b.frame);
    const signals = this.signals;
    this.pending = [];
    this.signals = new Map();
    const { jobId, tenantId, round, width, height } = this.target;
    const startFrame = frames[0]!.frame;
    const endFrame = frames[frames.length - 1]!.frame + 1;
    const { body, sha256 } = encodeChunk({
      format: CHUNK_FORMAT,
      jobId,
      round,
      width,
      height,
      startFrame,
      endFrame,
      frames,
    });
    const key = chunkKey(tenantId, jobId, round, startFrame);
    await this.store.putBuffer(key, body, 'application/gzip');
    const objectIds = [...new Set(frames.flatMap((f) => f.objects.map((o) => o.objectId)))].sort((a, b) => a - b);
    const tracks = objectIds.map((objectId) => {
      const stats: FrameTrackStat[] = frames.map((f) => {
        const o = f.objects.find((x) => x.objectId === objectId);
        if (!o || o.area === 0 || !o.bbox) return { present: false, area: 0, box: null };
        const [x, y, w, h] = o.bbox;
        return { present: true, area: o.area, box: [x, y, x + w, y + h] };
      });
      const packed = packTrackStats(stats);
      const frameSignals = frames.map((f) => signals.get(f.frame)?.get(objectId) ?? { score: null, iou: null });
      return {
        objectId,
        presence: bytes(packed.presence),
        areas: bytes(packed.areas),
        boxes: bytes(packed.boxes),
        signals: bytes(packTrackSignals(frameSignals)),
      };
    });
    await this.prisma.$transaction([
      this.prisma.maskletChunk.upsert({
        where: { jobId_round_startFrame: { jobId, round, startFrame } },
        create: { jobId, round, startFrame, endFrame, s3Key: key, format: CHUNK_FORMAT, bytes: body.length, sha256 },
        update: { endFrame, s3Key: key, format: CHUNK_FORMAT, bytes: body.length, sha256 },
      }),
      ...tracks.map((t) =>
        this.prisma.objectTrackChunk.upsert({
          where: { jobId_round_objectId_startFrame: { jobId, round, objectId: t.objectId, startFrame } },
          create: {
            jobId,
            round,
            objectId: t.objectId,
            startFrame,
            endFrame,
            presence: t.presence,
            areas: t.areas,
            boxes: t.boxes,
            signals: t.signals,
          },
          update: { endFrame, presence: t.presence, areas: t.areas, boxes: t.boxes, signals: t.signals },
        }),
      ),
    ]);
    this.framesWritten += frames.length;
    return { startFrame, endFrame, key, bytes: body.length, sha256 };
  }
}
