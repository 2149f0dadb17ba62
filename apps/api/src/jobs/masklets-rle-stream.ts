import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ChunkRange, FrameSegment, MaskletChunk as ChunkData } from '@masklet/masklets';

/**
 * The body of GET /v1/jobs/:id/masklets?format=rle: `{...head, "frames": [{frame, objects}, ...]}`, produced
 * chunk by chunk with the next chunk's download started while the current one is written. `first` is the
 * first segment's chunk, loaded by the caller before the status line so that its failure is still a clean
 * error response.
 */
export async function* rleBody<C extends ChunkRange & { id: string }>(
  segments: FrameSegment<C>[],
  head: Record<string, unknown>,
  keep: (objectId: number) => boolean,
  load: (chunk: C) => Promise<ChunkData>,
  first: ChunkData | undefined,
): AsyncGenerator<string> {
  const loads = new Map<string, Promise<ChunkData>>();
  const prefetch = (c: C): Promise<ChunkData> => {
    let p = loads.get(c.id);
    if (!p) {
      loads.set(c.id, (p = load(c)));
      p.catch(() => undefined);
    }
    return p;
  };
  yield `${JSON.stringify(head).slice(0, -1)},"frames":[`;
  let sep = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const data = i === 0 && first ? first : await prefetch(seg.chunk);
    const next = segments[i + 1]?.chunk;
    if (next) void prefetch(next);
    // Done with the previous chunk unless a later segment reads it again (rounds interleave in one chunk).
    const prev = segments[i - 1]?.chunk.id;
    if (prev !== undefined && prev !== seg.chunk.id && prev !== next?.id) loads.delete(prev);
    for (const f of data.frames) {
      if (f.frame < seg.from || f.frame >= seg.to) continue;
      const objects = f.objects.filter((o) => keep(o.objectId));
      yield `${sep}${JSON.stringify({ frame: f.frame, objects })}`;
      sep = ',';
    }
  }
  yield ']}';
}

/**
 * Writes the body with backpressure through a stream pipeline (one set of listeners for the whole response,
 * however slow the client). Resolves when the body is written, or when it cannot be: a client that hangs up
 * or a chunk that fails to load mid-body ends in a destroyed response (the client sees it cut short; the
 * status line is already sent, so there is no error response left to give).
 */
export async function writeRleBody(out: Writable, body: AsyncIterable<string>): Promise<'complete' | 'aborted'> {
  try {
    await pipeline(Readable.from(body), out);
    return 'complete';
  } catch {
    return 'aborted';
  }
}
