/**
 * The prompt encoder part of the shape-test decoder: random-Fourier point encodings plus label
 * embeddings (a padding point appended, as SAM 2 does without boxes), and the dense embedding of
 * the mask input (two 2x2 / 2 convs + 1x1) or the no-mask embedding.
 */
import { Value } from '@masklet/onnx-builder';
import { TINY } from './config';
import { conv, gelu, layerNorm2d, Weights } from './layers';

export function sparseEmbedding(w: Weights, coords: Value, labels: Value): Value {
  const g = w.g;
  const C = TINY.hiddenDim;
  const batch = g.shape(coords, 0, 1);
  const pad = (x: Value, width: number[], value: number) =>
    g.concat([x, g.constantOfShape(g.concat([batch, g.constI64(width)], 0), value)], 1);
  const allCoords = pad(coords, [1, 2], 0); // [B, P + 1, 2]
  const allLabels = pad(labels, [1], -1); // [B, P + 1]
  const unit = g.sub(g.mul(g.div(g.add(allCoords, 0.5), TINY.imageSize), 2), 1);
  const proj = g.mul(g.matmul(unit, w.normal('pe_gaussian', [2, C / 2], 1)), 2 * Math.PI);
  const pe = g.concat([g.sin(proj), g.cos(proj)], 2); // [B, P + 1, C]
  const isPoint = g.unsqueeze(g.toFloat(g.greater(allLabels, -0.5)), [2]);
  const index = g.cast(g.add(g.clip(allLabels, -1, 3), 1), 'int64'); // -1 (not a point), 0, 1, 2, 3
  const labelEmbedding = g.gather(w.normal('point_embeddings', [5, C], 1), index, 0);
  return g.add(g.mul(pe, isPoint), labelEmbedding);
}

export function denseEmbedding(w: Weights, maskInput: Value, hasMaskInput: Value): Value {
  const g = w.g;
  const C = TINY.hiddenDim;
  let m = gelu(g, layerNorm2d(w, conv(w, maskInput, { cin: 1, cout: 4, k: 2, stride: 2 }, 'mask_ds0'), 4, 'mask_ln0'));
  m = gelu(g, layerNorm2d(w, conv(w, m, { cin: 4, cout: 16, k: 2, stride: 2 }, 'mask_ds1'), 16, 'mask_ln1'));
  m = conv(w, m, { cin: 16, cout: C, k: 1 }, 'mask_ds2'); // [B, C, 64, 64]
  const has = g.reshape(hasMaskInput, [-1, 1, 1, 1]);
  const noMask = w.normal('no_mask_embed', [1, C, 1, 1], 1);
  return g.add(g.mul(has, m), g.mul(g.sub(1, has), noMask));
}
