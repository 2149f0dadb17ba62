/**
 * Tracking evidence of the mask decoder (no prompts), at stride 4:
 *   logit = gain * (smooth(llr[bin(x)]) + prior(D(x)) + trackBias), prior(D) = D * (D > 0 ? inside : outside)
 * llr[bin(x)] is one MatMul of the per-object bin log-ratios [B, 1, K] with the frame's soft bin
 * map [K, L*L] (highRes0), averaged over 3 x 3 cells of similar appearance; D is memory attention's spatial prior
 * (signed: +1 deep inside the latest mask, 0 on its boundary, -1 far out), upsampled from 64 x 64.
 * Without any memory of the object (hasModel 0) every pixel is background; on a first frame
 * (noMemEmbed added) there is no propagated evidence: the term is the prompt base.
 * The logits' boundary cells are then placed within the cell by the colour at stride 2.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { DEC, FEAT, HIGHRES0, K } from './config';
import { smoothAmongSimilar } from './similar-neighbours';
import { subCellBoundaries } from './decoder-sub-cell';

export interface TrackingEvidence {
  /** [B, 1, L, L] the tracked mask's logits: colour averaged among similar cells, boundaries placed within cells. */
  logits: Value;
  /**
   * [B, 1, L, L] the same evidence with colour averaged over every 3 x 3 neighbourhood, for the
   * object score: whether the object is there at all is decided on regions, and a lone cell that
   * happens to look like the object (clutter where a hidden object was) is not the object.
   */
  presence: Value;
}

export function trackingEvidence(g: GraphBuilder, features: Value, highRes0: Value, L: number): TrackingEvidence {
  const bins = g.reshape(g.narrow(highRes0, 1, HIGHRES0.bins, HIGHRES0.bins + K), [K, L * L]);
  const llr = g.narrow(g.reshape(g.narrow(features, 1, FEAT.llr, FEAT.llr + 1), [0, 1, -1]), 2, 0, K); // [B, 1, K]
  const cellColour = g.reshape(g.matmul(llr, bins), [0, 1, L, L]);
  const smoothed = (amongSimilar: boolean) => {
    let v = cellColour;
    for (let i = 0; i < DEC.smoothPasses; i++)
      v = amongSimilar ? smoothAmongSimilar(g, v, highRes0, L) : g.avgPool(v, { kernel: [3, 3], pads: [1, 1, 1, 1] });
    return v;
  };
  const unpack = (ch: number) =>
    g.resize(g.depthToSpace(g.narrow(features, 1, ch, ch + 4), 2), { scales: [1, 1, 2, 2], mode: 'linear' });
  const prior = unpack(FEAT.prior);
  const local = g.mul(unpack(FEAT.local), DEC.localWeight);
  // The prior pulls harder inside where the motion-compensated latest frame predicts the current
  // colour: the object's own parts moved there, whatever their colour says.
  const explained = g.resize(g.narrow(features, 1, FEAT.explained, FEAT.explained + 1), {
    scales: [1, 1, 4, 4],
    mode: 'linear',
  });
  const inside = g.add(g.mul(explained, DEC.priorInsideExplained), DEC.priorInside);
  const priorLogit = g.sub(g.mul(g.relu(prior), inside), g.mul(g.relu(g.neg(prior)), DEC.priorOutside));
  const flag = (ch: number) => g.clip(g.reduceMax(g.narrow(features, 1, ch, ch + 1), [2, 3]), 0, 1); // [B, 1, 1, 1]
  const hasModel = flag(FEAT.hasModel);
  const noMemory = flag(FEAT.noMemory);
  const gain = g.mul(g.sub(1, noMemory), DEC.trackGain);
  const logitsOf = (colour: Value) => {
    const term = g.add(g.add(g.add(g.mul(colour, DEC.globalWeight), local), priorLogit), DEC.trackBias);
    const tracked = g.add(g.mul(term, hasModel), g.mul(g.sub(1, hasModel), DEC.promptBase / DEC.trackGain));
    return g.add(g.mul(tracked, gain), g.mul(noMemory, DEC.promptBase));
  };
  const presence = logitsOf(smoothed(false));
  const logits = DEC.smoothAmongSimilar === 1 ? logitsOf(smoothed(true)) : presence;
  if (DEC.subCellDetail === 0) return { logits, presence };
  // A pixel's colour enters the logits through both colour terms, the global and the local model;
  // the global log-ratio's departure at stride 2 stands for both.
  const detailWeight = g.mul(gain, (DEC.globalWeight + DEC.localWeight) * DEC.subCellDetail);
  return { logits: subCellBoundaries(g, { logits, cellColour, llr, highRes0, detailWeight }, L), presence };
}
