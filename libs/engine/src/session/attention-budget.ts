/**
 * How many objects one call of a per-object role (memory attention, mask decoder, memory encoder)
 * may carry. Each onnxruntime session keeps the peak of its own arena, so a call that batches all
 * B objects leaves B objects' activations resident in every role at once; capping the batch by a
 * memory budget keeps peak RSS nearly flat in the number of objects. Objects are independent in
 * every graph, so splitting a batch changes no value. The per-object sizes below are fp32 estimates
 * of the largest live activations, from the manifest's sizes (the graphs' internals are not known).
 */
export const DEFAULT_ATTENTION_BUDGET_MB = { cpu: 96, cuda: 2048 } as const;

export interface AttentionShape {
  /** Image queries per object (H x W). */
  queries: number;
  /** Queries the graph attends at once (`memoryAttentionQueryChunk`; absent: all of them). */
  queryChunk?: number;
  /** Memory plus pointer tokens per object. */
  memoryTokens: number;
  /** Width of the projected keys and values and of the queries (the hidden dim C). */
  hiddenDim: number;
}

/**
 * Memory attention: one chunk's scores and softmax (2 x chunk x Nm), the projected keys and values
 * (2 x Nm x C) and the query-side activations (the MLP's hidden layer, 8 C in SAM 2, plus a few
 * C-wide copies: 12 x Nq x C). An unchunked graph holds all Nq x Nm scores (~470 MB per object at
 * SAM 2 size, 1024 px and seven memory frames), which is what made memory grow with objects.
 */
export function attentionBytesPerObject(s: AttentionShape): number {
  const tokens = Math.max(1, s.memoryTokens);
  const rows = Math.min(s.queries, s.queryChunk ?? s.queries);
  return 4 * (2 * rows * tokens + 2 * tokens * s.hiddenDim + 12 * s.queries * s.hiddenDim);
}

export interface MapShape {
  /** H x W of the features. */
  featureCells: number;
  hiddenDim: number;
  /** Channels of highRes0 (at 4H x 4W) and highRes1 (at 2H x 2W). */
  highResChannels: readonly [number, number];
  imageSize: number;
}

/** Mask decoder: a few feature-sized maps and a few maps of each high-res size (the upscaling path). */
export function decoderBytesPerObject(s: MapShape): number {
  const [c0, c1] = s.highResChannels;
  return 4 * 4 * s.featureCells * (s.hiddenDim + 16 * c0 + 4 * c1);
}

/** Memory encoder: the mask at the input square (a few copies) and the fuser's 4 C-wide features. */
export function memoryEncoderBytesPerObject(s: MapShape): number {
  return 4 * (4 * s.imageSize * s.imageSize + 8 * s.hiddenDim * s.featureCells);
}

export function objectBatchSize(budgetMb: number, bytesPerObject: number): number {
  return Math.max(1, Math.floor((budgetMb * 1024 * 1024) / bytesPerObject));
}

export function attentionBatchSize(budgetMb: number, shape: AttentionShape): number {
  return objectBatchSize(budgetMb, attentionBytesPerObject(shape));
}

/** [start, end) object ranges of at most `size` objects covering `batch`. */
export function batchRanges(batch: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < batch; start += size) ranges.push([start, Math.min(batch, start + size)]);
  return ranges;
}

/** The per-object outputs of consecutive batches, concatenated in order (no copy for one batch). */
export function concatBatches(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
