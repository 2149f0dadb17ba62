/**
 * The colour model behind a click, bootstrapped the way interactive segmenters do without a learnt
 * objectness prior: foreground = the colours near the positive clicks, background = the colours far
 * from them and near the negative clicks. The per-pixel log-likelihood ratio of the two histograms
 * gates region growing from the clicks; the grown region then re-estimates both histograms
 * (foreground = the region, background = everything past its dilation), so the model moves from
 * "near vs far" to "object vs its surroundings".
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { CLICK_MODEL, K } from './config';

/** The soft bin map of one grid as matrices: [K, n*n] and its transpose. */
export interface BinGrid {
  flat: Value;
  flatT: Value;
  n: number;
}

export function binGrid(g: GraphBuilder, bins: Value, n: number): BinGrid {
  const flat = g.reshape(bins, [K, n * n]);
  return { flat, flatT: g.transpose(flat, [1, 0]), n };
}

/** Normalised colour histogram of per-object weights [B, 1, n, n] -> [B, 1, K]. */
function histogram(g: GraphBuilder, weights: Value, grid: BinGrid): Value {
  const h = g.matmul(g.reshape(weights, [0, 1, -1]), grid.flatT);
  return g.div(h, g.add(g.reduceSum(h, [2]), 1e-6));
}

/** Per-bin log-likelihood ratio [B, 1, K] of foreground vs background weights. */
export function colourLogRatio(g: GraphBuilder, fg: Value, bg: Value, grid: BinGrid): Value {
  const eps = CLICK_MODEL.histEpsilon;
  return g.sub(g.log(g.add(histogram(g, fg, grid), eps)), g.log(g.add(histogram(g, bg, grid), eps)));
}

/** The log-ratio of every pixel of a grid: [B, 1, K] -> [B, 1, n, n]. */
export function logRatioMap(g: GraphBuilder, llr: Value, grid: BinGrid): Value {
  return g.reshape(g.matmul(llr, grid.flat), [0, 1, grid.n, grid.n]);
}

/** How freely a region grows through each pixel: sigmoid(sharpness (llr - threshold)). */
export function passability(g: GraphBuilder, llrMap: Value, threshold: number): Value {
  return g.sigmoid(g.mul(g.sub(llrMap, threshold), CLICK_MODEL.sharpness));
}
