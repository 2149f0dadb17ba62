/**
 * memoryEncoder: the object's mask and colour histograms of one frame.
 *  - mask: (binarised or sharpened sigmoid) logits pooled to 64 x 64 (stride 8), zero when the object score
 *    <= 0 (the no-object memory), packed 4 x 4 into the 16 x 16 memory grid;
 *  - foreground histogram: sum over the frame of mask x bin assignment (stride-8 bins from
 *    visionFeatures); background histogram: the same over a ring around the mask (dilation minus
 *    mask: the local background, which is what the mask must be told apart from);
 *  - the frame's colour at 32 x 32 (for motion matching against the next frame).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { ATTN, K, MEM, MEMPOS, REF, VISION } from './config';
import { positionMap } from './grids';
import { spaceToDepth2 } from './image-encoder';

export function buildMemoryEncoder(): GraphBuilder {
  const g = new GraphBuilder('reference_memory_encoder');
  const { hiddenDim: C, featureSize: H, lowResMaskSize: L, memoryDim: Cm, memorySize: Hm } = REF;
  const features = g.input('visionFeatures', [1, C, H, H]);
  const logits = g.input('maskLogits', ['B', 1, L, L]);
  const score = g.input('objectScoreLogits', ['B', 1]);
  const binarize = g.input('binarize', ['B']);

  const perObject = (x: Value) => g.reshape(x, [-1, 1, 1, 1]);
  const hard = g.toFloat(g.greater(logits, 0));
  const soft = g.sigmoid(logits);
  // Soft masks (tracked frames) are sharpened: a halo of weak logits must neither count as object
  // colour nor widen the spatial prior.
  const sharpened = g.clip(g.add(g.mul(g.sub(soft, 0.5), ATTN.maskSharpness), 0.5), 0, 1);
  const prob = g.add(sharpened, g.mul(perObject(binarize), g.sub(hard, sharpened)));
  const present = perObject(g.toFloat(g.greater(score, 0)));
  const n = 2 * H; // 64: the stride-8 grid
  const pool = (x: Value) => g.avgPool(x, { kernel: [L / n, L / n], strides: [L / n, L / n] });
  const m = g.mul(pool(prob), present); // [B, 1, 64, 64]
  const dilate = (x: Value, k: number) =>
    k === 1 ? x : g.maxPool(x, { kernel: [k, k], pads: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2] });
  const ring = g.clip(g.sub(dilate(m, ATTN.ringKernel), dilate(m, ATTN.ringGap)), 0);
  // Prompted frames count a pixel as object colour by the confidence of its logit: a clicked
  // region's rim (weak logits) blends object and background colours.
  const unsure = g.sub(1, g.sigmoid(g.sub(logits, ATTN.colourConfidence)));
  const confident = g.sub(1, g.mul(perObject(binarize), unsure));
  const colourMask = g.mul(pool(g.mul(prob, confident)), present);
  const core = g.sub(1, dilate(g.sub(1, colourMask), ATTN.fgErode));

  const bins = g.depthToSpace(g.narrow(features, 1, VISION.bins, VISION.bins + 4 * K), 2); // [1, K, 64, 64]
  const binRows = g.transpose(g.reshape(bins, [K, n * n]), [1, 0]); // [4096, K]
  const weights = g.reshape(g.concat([core, ring], 1), [0, 2, n * n]); // [B, 2, 4096]
  const hists = g.matmul(weights, binRows); // [B, 2, K]
  const histMaps = g.reshape(g.pad(hists, [0, 0, 0, 0, 0, Hm * Hm - K]), [0, 2, Hm, Hm]);

  const p = n / Hm; // 4
  const packed = g.reshape(g.transpose(g.reshape(m, [0, 1, Hm, p, Hm, p]), [0, 3, 5, 1, 2, 4]), [0, p * p, Hm, Hm]); // [B, 16, 16, 16]
  if (MEM.mask !== 0 || MEM.fgHist !== p * p || MEM.bgHist !== p * p + 1)
    throw new Error('memory token layout drifted from the concat order');
  const colour = spaceToDepth2(g, g.narrow(features, 1, VISION.appearance, VISION.appearance + 3), 3, Hm); // [1, 12, 16, 16]
  const colourB = g.expand(colour, g.concat([g.shape(logits, 0, 1), g.constI64([12, Hm, Hm])], 0));
  if (MEM.appearance !== p * p + 2) throw new Error('memory token layout drifted from the concat order');
  const tokens = g.concat([packed, histMaps, colourB], 1); // [B, 30, 16, 16]
  g.output('memoryFeatures', g.pad(tokens, [0, 0, 0, 0, 0, Cm - (p * p + 14), 0, 0]), ['B', Cm, Hm, Hm]);
  const pos = g.initializer('memory_pos_enc', positionMap(Cm, Hm, MEMPOS.x, MEMPOS.y), [1, Cm, Hm, Hm]);
  g.output('memoryPosEnc', pos, [1, Cm, Hm, Hm]);
  return g;
}
