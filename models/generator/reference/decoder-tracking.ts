/**
 * Tracking evidence of the mask decoder (no prompts): the propagated foreground probability as a
 * prior, sharpened by a local fg / bg appearance classifier at stride 4 where the prior is uncertain:
 *   logit = gain * (logit(p) + 4 p (1 - p) clip(llr)),  llr = (|h - mu_bg|^2 - |h - mu_fg|^2) / 2.
 * llr is linear in the pixel appearance h: h . (mu_fg - mu_bg) + (|mu_bg|^2 - |mu_fg|^2) / 2, so the
 * smooth parts (p, w, c) are computed on the stride-16 grid and upsampled together.
 * On a first frame (noMemEmbed added) there is no propagated evidence: the term is the prompt base.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, DEC, FEAT, REF } from './config';

export function trackingEvidence(g: GraphBuilder, features: Value, highRes0: Value, L: number): Value {
  const scale = g.const(DEC.classifierScale, [1, APPEARANCE, 1, 1]);
  const fg = g.mul(g.narrow(features, 1, FEAT.fgMean, FEAT.fgMean + APPEARANCE), scale);
  const bg = g.mul(g.narrow(features, 1, FEAT.bgMean, FEAT.bgMean + APPEARANCE), scale);
  const w = g.sub(fg, bg);
  const c = g.mul(g.sub(g.reduceSumSquare(bg, [1]), g.reduceSumSquare(fg, [1])), 0.5);
  const k = L / REF.featureSize;
  const smooth = g.concat([g.narrow(features, 1, FEAT.pFg, FEAT.pFg + 1), w, c], 1); // [B, 6, H, W]
  const up = g.resize(smooth, { scales: [1, 1, k, k], mode: 'linear' }); // [B, 6, L, L]
  const eps = 1e-4;
  const p = g.clip(g.narrow(up, 1, 0, 1), eps, 1 - eps);
  const prior = g.sub(g.log(p), g.log(g.sub(1, p)));
  const uncertainty = g.mul(g.mul(p, g.sub(1, p)), 4);
  const h = g.mul(g.narrow(highRes0, 1, 0, APPEARANCE), scale);
  const llr = g.add(g.reduceSum(g.mul(h, g.narrow(up, 1, 1, 1 + APPEARANCE)), [1]), g.narrow(up, 1, 5, 6));
  const term = g.add(prior, g.mul(uncertainty, g.clip(llr, -DEC.llrClip, DEC.llrClip)));
  const noMemory = g.clip(g.reduceMax(g.narrow(features, 1, FEAT.noMemory, FEAT.noMemory + 1), [2, 3]), 0, 1); // [B, 1, 1, 1]
  const gain = g.mul(g.sub(1, noMemory), DEC.trackGain);
  return g.add(g.mul(term, gain), g.mul(noMemory, DEC.promptBase));
}
