import type { MaskletChunk, PrismaClient } from '@masklet/db';
import { decompressRle, rleIou } from '@masklet/masks';
import { decodeChunk, resolveFrameSources, type MaskletChunk as ChunkData } from '@masklet/masklets';
import type { ObjectStore } from '@masklet/storage';

/**
 * Round.meanIouDelta: over the frames a correction round recomputed and the objects present in both,
 * the mean of (1 - IoU) between the new mask and the mask of the state before the round (every earlier
 * SUCCEEDED round, newest per frame). 0 = nothing changed. Null for round 1 or when nothing compares.
 */
export async function meanIouDelta(
  prisma: PrismaClient,
  store: ObjectStore,
  jobId: string,
  round: number,
): Promise<number | null> {
  if (round <= 1) return null;
  const earlier = await prisma.round.findMany({
    where: { jobId, number: { lt: round }, status: 'SUCCEEDED' },
    select: { number: true },
  });
  const prevChunks = await prisma.maskletChunk.findMany({
    where: { jobId, round: { in: earlier.map((r) => r.number) } },
  });
  const newChunks = await prisma.maskletChunk.findMany({ where: { jobId, round }, orderBy: { startFrame: 'asc' } });
  const cache = new Map<string, Promise<ChunkData>>();
  const load = (c: MaskletChunk): Promise<ChunkData> => {
    let p = cache.get(c.s3Key);
    if (!p) cache.set(c.s3Key, (p = store.getBuffer(c.s3Key).then(decodeChunk)));
    return p;
  };
  let sum = 0;
  let n = 0;
  for (const c of newChunks) {
    const now = await load(c);
    for (const seg of resolveFrameSources(prevChunks, c.startFrame, c.endFrame)) {
      const before = await load(seg.chunk);
      for (let f = seg.from; f < seg.to; f++) {
        const a = before.frames.find((x) => x.frame === f);
        const b = now.frames.find((x) => x.frame === f);
        if (!a || !b) continue;
        for (const ob of b.objects) {
          const oa = a.objects.find((x) => x.objectId === ob.objectId);
          if (!oa) continue;
          const iou = rleIou(
            decompressRle({ size: oa.rle.size, counts: oa.rle.counts }),
            decompressRle({ size: ob.rle.size, counts: ob.rle.counts }),
          );
          sum += 1 - iou;
          n++;
        }
      }
    }
    cache.delete(c.s3Key);
  }
  return n === 0 ? null : sum / n;
}
