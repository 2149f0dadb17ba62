/**
 * Mask decoder heads computed from the four tokens' logits: the IoU heuristic (stability of the
 * logits x convergence of the region growing x a small tie-break prior), the object score (soft
 * area of token 0) and one object pointer per token (appearance statistics of its mask).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, DEC, PTR, REF } from './config';
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
  const area = g.mul(g.reduceSum(g.sigmoid(g.mul(g.narrow(pooled, 1, 0, 1), 4)), [2, 3]), 4); // [B, 1, 1, 1], L x L pixels
  const score = g.mul(g.log(g.div(g.add(area, 0.1), DEC.objScoreMinArea)), DEC.objScoreGain);
  return g.reshape(score, [-1, 1]);
}

/** [B, 4, C]: presence, fg mean, ring bg mean, centroid, area of each token's mask (stride 16). */
export function objectPointers(g: GraphBuilder, pooled: Value, features: Value): Value {
  const H = REF.featureSize;
  const k = REF.lowResMaskSize / 2 / H;
  const m = g.avgPool(g.sigmoid(pooled), { kernel: [k, k], strides: [k, k] }); // [B, 4, H, W]
  const ring = g.clip(g.sub(g.maxPool(m, { kernel: [7, 7], pads: [3, 3, 3, 3] }), m), 0);
  const appearance = g.transpose(g.reshape(g.narrow(features, 1, 0, APPEARANCE), [0, APPEARANCE, -1]), [0, 2, 1]); // [B, HW, 4]
  const stats = (w: Value) => {
    const flat = g.reshape(w, [0, 0, -1]); // [B, 4, HW]
    const mass = g.reduceSum(flat, [2]); // [B, 4, 1]
    return { flat, mass, mean: g.div(g.matmul(flat, appearance), g.add(mass, 1e-6)) };
  };
  const fg = stats(m);
  const bg = stats(ring);
  const positions = g.const(tokenPositions(H), [H * H, 2]);
  const centroid = g.div(g.matmul(fg.flat, positions), g.add(fg.mass, 1e-6));
  const presence = g.clip(g.mul(fg.mass, 0.5), 0, 1);
  const ptr = g.concat([presence, fg.mean, bg.mean, centroid, g.mul(fg.mass, 1 / (H * H))], 2); // [B, 4, 12]
  return g.pad(ptr, [0, 0, 0, 0, 0, REF.hiddenDim - PTR.used]);
}
