/**
 * How many objects one memory-attention call may carry. Every object attends its Nq image queries to
 * its own Nm memory tokens, so a batch of B holds at least B x Nq x Nm fp32 scores at once; at SAM 2
 * size (Nq = 4096, Nm ~ 28k) that is ~470 MB per object, which is what made memory grow with objects.
 * Objects are independent in the graph, so splitting the batch changes no value.
 */
export const DEFAULT_ATTENTION_BUDGET_MB = { cpu: 64, cuda: 2048 } as const;

export function attentionBatchSize(budgetMb: number, numQueries: number, numMemoryTokens: number): number {
  const perObject = numQueries * Math.max(1, numMemoryTokens) * 4;
  return Math.max(1, Math.floor((budgetMb * 1024 * 1024) / perObject));
}

/** [start, end) object ranges of at most `size` objects covering `batch`. */
export function batchRanges(batch: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let start = 0; start < batch; start += size) ranges.push([start, Math.min(batch, start + size)]);
  return ranges;
}
