/**
 * Tracking evidence of the mask decoder (no prompts): the propagated foreground probability
 * (upsampled) as a prior, sharpened by a local fg / bg appearance classifier at stride 4:
 * logit = gain * (logit(p_fg) + 4 p (1 - p) clip((|h - mu_bg|^2 - |h - mu_fg|^2) / 2)).
 * On a first frame (noMemEmbed added) there is no propagated evidence: the term is the prompt base.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, DEC, FEAT, REF } from './config';

export function trackingEvidence(g: GraphBuilder, features: Value, highRes0: Value, L: number): Value {
  const maps = g.narrow(features, 1, FEAT.pFg, FEAT.bgMean + APPEARANCE); // p, fg mean, bg mean: [B, 9, H, W]
  const k = L / REF.featureSize;
  const up = g.resize(maps, { scales: [1, 1, k, k], mode: 'linear' });
  const eps = 1e-4;
  const p = g.clip(g.narrow(up, 1, 0, 1), eps, 1 - eps);
  const prior = g.sub(g.log(p), g.log(g.sub(1, p)));
  const scale = g.const(DEC.classifierScale, [1, APPEARANCE, 1, 1]);
  const h = g.mul(g.narrow(highRes0, 1, 0, APPEARANCE), scale);
  const dist = (from: number) => g.reduceSumSquare(g.sub(h, g.mul(g.narrow(up, 1, from, from + APPEARANCE), scale)), [1]);
  const llr = g.clip(g.mul(g.sub(dist(1 + APPEARANCE), dist(1)), 0.5), -DEC.llrClip, DEC.llrClip);
  // The classifier decides where the propagated prior is uncertain (the boundary band).
  const uncertainty = g.mul(g.mul(p, g.sub(1, p)), 4);
  const term = g.mul(g.add(prior, g.mul(llr, uncertainty)), DEC.trackGain);
  const noMemory = g.reduceMax(g.narrow(features, 1, FEAT.noMemory, FEAT.noMemory + 1), [2, 3]); // [B, 1, 1, 1]
  const hasMemory = g.sub(1, g.clip(noMemory, 0, 1));
  return g.add(g.mul(term, hasMemory), g.mul(g.sub(1, hasMemory), DEC.promptBase));
}
