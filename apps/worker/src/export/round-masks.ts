import type { MaskletChunk as ChunkRow, PrismaClient } from '@masklet/db';
import { decodeChunk, resolveFrameSources, type ChunkFrame, type FrameSegment } from '@masklet/masklets';
import type { ObjectStore } from '@masklet/storage';
import { PermanentJobError } from '../runtime/errors';

/**
 * The masks of a job as of one round, read chunk by chunk in frame order: only one chunk is decoded
 * in memory at a time, however long the video. A correction round's chunks cover only the frames it
 * recomputed, so each frame comes from the newest of the round itself and every earlier SUCCEEDED
 * round that has it (as the masklets API serves it); objects removed by the round are left out.
 */
export class RoundMasks {
  private constructor(
    private readonly store: ObjectStore,
    private readonly segments: FrameSegment<ChunkRow>[],
    private readonly removed: ReadonlySet<number>,
    readonly width: number,
    readonly height: number,
  ) {}

  static async open(prisma: PrismaClient, store: ObjectStore, jobId: string, round: number): Promise<RoundMasks> {
    const earlier = await prisma.round.findMany({
      where: { jobId, number: { lt: round }, status: 'SUCCEEDED' },
      select: { number: true },
    });
    const rows = await prisma.maskletChunk.findMany({
      where: { jobId, round: { in: [round, ...earlier.map((r) => r.number)] } },
      orderBy: [{ startFrame: 'asc' }, { round: 'asc' }],
    });
    if (!rows.some((r) => r.round === round) && round === 1)
      throw new PermanentJobError('no_masks', `job ${jobId} round ${round} has no mask chunks`);
    if (rows.length === 0)
      throw new PermanentJobError('no_masks', `job ${jobId} has no mask chunks up to round ${round}`);
    const end = Math.max(...rows.map((r) => r.endFrame));
    const removed = await prisma.jobObject.findMany({
      where: { jobId, removedInRound: { lte: round } },
      select: { objectId: true },
    });
    const first = decodeChunk(await store.getBuffer(rows[0]!.s3Key));
    return new RoundMasks(
      store,
      resolveFrameSources(rows, 0, end),
      new Set(removed.map((o) => o.objectId)),
      first.width,
      first.height,
    );
  }

  /** Frames with masks. */
  get frameCount(): number {
    return this.segments.reduce((n, s) => n + (s.to - s.from), 0);
  }

  /** Frames ascending; consecutive segments of one chunk decode it once. */
  async *frames(): AsyncGenerator<ChunkFrame> {
    let cachedId: string | null = null;
    let cached = new Map<number, ChunkFrame>();
    for (const seg of this.segments) {
      if (cachedId !== seg.chunk.id) {
        const chunk = decodeChunk(await this.store.getBuffer(seg.chunk.s3Key));
        cachedId = seg.chunk.id;
        cached = new Map(chunk.frames.map((f) => [f.frame, f]));
      }
      for (let f = seg.from; f < seg.to; f++) {
        const frame = cached.get(f);
        if (!frame) continue;
        yield this.removed.size
          ? { ...frame, objects: frame.objects.filter((o) => !this.removed.has(o.objectId)) }
          : frame;
      }
    }
  }
}
