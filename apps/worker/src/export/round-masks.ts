import type { MaskletChunk as ChunkRow, PrismaClient } from '@masklet/db';
import { decodeChunk, type ChunkFrame } from '@masklet/masklets';
import type { ObjectStore } from '@masklet/storage';
import { PermanentJobError } from '../runtime/errors';

/**
 * The masks of one job round, read chunk by chunk in frame order: only one chunk is decoded in
 * memory at a time, however long the video.
 *
 * Seam for correction rounds: a round > 1 will merge its own chunks with the previous rounds'
 * for the frames it did not recompute; today each round's chunks are read on their own.
 */
export class RoundMasks {
  private constructor(
    private readonly store: ObjectStore,
    readonly rows: ChunkRow[],
    readonly width: number,
    readonly height: number,
  ) {}

  static async open(prisma: PrismaClient, store: ObjectStore, jobId: string, round: number): Promise<RoundMasks> {
    const rows = await prisma.maskletChunk.findMany({ where: { jobId, round }, orderBy: { startFrame: 'asc' } });
    if (rows.length === 0) throw new PermanentJobError('no_masks', `job ${jobId} round ${round} has no mask chunks`);
    const first = decodeChunk(await store.getBuffer(rows[0]!.s3Key));
    return new RoundMasks(store, rows, first.width, first.height);
  }

  /** Frames with masks, ascending. */
  get frameCount(): number {
    return this.rows.reduce((n, r) => n + (r.endFrame - r.startFrame), 0);
  }

  async *frames(): AsyncGenerator<ChunkFrame> {
    for (const row of this.rows) {
      const chunk = decodeChunk(await this.store.getBuffer(row.s3Key));
      for (const f of chunk.frames) yield f;
    }
  }
}
