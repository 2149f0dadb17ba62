/**
 * Mask decoder heads computed from the four tokens' logits: the IoU heuristic (stability of the
 * logits x convergence of the region growing x a small tie-break prior), the object score (soft
 * area of token 0) and one object pointer per token (presence, centroid, area of its mask).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { DEC, PTR, REF } from './config';
import { tokenPositions } from './grids';

/** The heads read the logits pooled 2 x 2 (stride 8): cheaper, and the same areas to a factor 4. */
export function pooledLogits(g: GraphBuilder, logits: Value): Value {
  return g.avgPool(logits, { kernel: [2, 2], strides: [2, 2] });
}

export function iouPredictions(g: GraphBuilder, pooled: Value, convergence: Value): Value {
  const area = (offset: number) => g.reduceSum(g.sigmoid(g.mul(g.add(pooled, offset), 4)), [2, 3]);
  const stability = g.div(g.add(area(-1), 1), g.add(area(1), 1)); // [B, 4, 1, 1]
  const iou = g.mul(g.mul(stability, convergence), g.const(DEC.iouPrior, [1, 4, 1, 1]));
  return g.reshape(iou, [-1, 4]);
}

export function objectScore(g: GraphBuilder, pooled: Value): Value {
  const area = g.mul(g.reduceSum(g.sigmoid(g.mul(g.narrow(pooled, 1, 0, 1), DEC.objScoreSharpness)), [2, 3]), 4); // [B, 1, 1, 1], L x L pixels
  const score = g.mul(g.log(g.div(g.add(area, 0.1), DEC.objScoreMinArea)), DEC.objScoreGain);
  return g.reshape(score, [-1, 1]);
}

/** [B, 4, C]: presence, centroid and area of each token's mask (stride 8). */
export function objectPointers(g: GraphBuilder, pooled: Value): Value {
  const n = REF.lowResMaskSize / 2;
  const m = g.reshape(g.sigmoid(pooled), [0, 4, n * n]); // [B, 4, 64 * 64]
  const mass = g.reduceSum(m, [2]); // [B, 4, 1]
  const positions = g.const(tokenPositions(n), [n * n, 2]);
  const centroid = g.div(g.matmul(m, positions), g.add(mass, 1e-6));
  const presence = g.clip(g.mul(mass, 0.125), 0, 1);
  const ptr = g.concat([presence, centroid, g.mul(mass, 1 / (n * n))], 2); // [B, 4, 4]
  if (PTR.used !== 4) throw new Error('pointer layout drifted from the concat order');
  return g.pad(ptr, [0, 0, 0, 0, 0, REF.hiddenDim - PTR.used]);
}
