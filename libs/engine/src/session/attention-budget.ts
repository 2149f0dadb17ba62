/**
 * How many objects one memory-attention call may carry. Every object attends its Nq image queries to
 * its own Nm memory tokens. A graph that attends its queries in chunks (the manifest's
 * `memoryAttentionQueryChunk`) holds, per object, one chunk's scores and softmax (2 x chunk x Nm) and
 * the projected keys and values (2 x Nm x C); an unchunked graph holds all Nq x Nm scores (~470 MB
 * per object at SAM 2 size, 1024 px and seven memory frames), which is what made memory grow with
 * objects. Objects are independent in the graph, so splitting the batch changes no value.
 */
export const DEFAULT_ATTENTION_BUDGET_MB = { cpu: 64, cuda: 2048 } as const;

export interface AttentionShape {
  /** Image queries per object (H x W). */
  queries: number;
  /** Queries the graph attends at once (`memoryAttentionQueryChunk`; absent: all of them). */
  queryChunk?: number;
  /** Memory plus pointer tokens per object. */
  memoryTokens: number;
  /** Width of the projected keys and values (the hidden dim C). */
  hiddenDim: number;
}

/** fp32 bytes one object adds to a memory-attention call. */
export function attentionBytesPerObject(s: AttentionShape): number {
  const tokens = Math.max(1, s.memoryTokens);
  const rows = Math.min(s.queries, s.queryChunk ?? s.queries);
  return 4 * (2 * rows * tokens + 2 * tokens * s.hiddenDim);
}

export function attentionBatchSize(budgetMb: number, shape: AttentionShape): number {
  return Math.max(1, Math.floor((budgetMb * 1024 * 1024) / attentionBytesPerObject(shape)));
}

/** [start, end) object ranges of at most `size` objects covering `batch`. */
export function batchRanges(batch: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < batch; start += size) ranges.push([start, Math.min(batch, start + size)]);
  return ranges;
}
