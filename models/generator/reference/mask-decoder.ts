/**
 * maskDecoder: logits of four tokens = base + prompt evidence, where the base is the previous mask
 * (hasMaskInput), the prompt base (any prompt point) or the tracking evidence (memory only), then
 * the IoU / object-score / pointer heads.
 */
import { GraphBuilder } from '@masklet/onnx-builder';
import { DEC, REF } from './config';
import { distanceMap, rows, scaledAppearance } from './decoder-common';
import { objectPointers, objectScore, iouPredictions } from './decoder-heads';
import { promptEvidence } from './decoder-prompts';
import { trackingEvidence } from './decoder-tracking';

export function buildMaskDecoder(): GraphBuilder {
  const g = new GraphBuilder('reference_mask_decoder');
  const { hiddenDim: C, featureSize: H, lowResMaskSize: L } = REF;
  const features = g.input('features', ['B', C, H, H]);
  const highRes0 = g.input('highRes0', [1, REF.highRes[0].channels, 4 * H, 4 * H]);
  const highRes1 = g.input('highRes1', [1, REF.highRes[1].channels, 2 * H, 2 * H]);
  const coords = g.input('pointCoords', ['B', 'P', 2]);
  const labels = g.input('pointLabels', ['B', 'P']);
  const maskInput = g.input('maskInput', ['B', 1, L, L]);
  const hasMaskInput = g.input('hasMaskInput', ['B']);

  const scaled128 = scaledAppearance(g, highRes0);
  const map128 = distanceMap(g, scaled128, 4 * H);
  const map64 = distanceMap(g, scaledAppearance(g, highRes1), 2 * H);
  const prompts = g.scope('prompts', () =>
    promptEvidence(g, { coords, labels, map128, map64, rows128: rows(g, scaled128) }),
  );
  const tracking = g.scope('tracking', () => trackingEvidence(g, features, highRes0, L));

  const perObject = (v: string) => g.reshape(v, [-1, 1, 1, 1]);
  const anyPrompt = perObject(g.toFloat(g.greater(g.reduceMax(labels, [1]), -0.5)));
  const hasMask = perObject(hasMaskInput);
  const noMaskBase = g.add(g.mul(anyPrompt, DEC.promptBase), g.mul(g.sub(1, anyPrompt), tracking));
  const maskBase = g.clip(maskInput, DEC.promptBase, -DEC.promptBase);
  const base = g.add(g.mul(hasMask, maskBase), g.mul(g.sub(1, hasMask), noMaskBase));
  const trackOnly = g.mul(g.sub(1, hasMask), g.sub(1, anyPrompt));
  const offsets = g.mul(trackOnly, g.const(DEC.trackOffsets, [1, 4, 1, 1]));
  const evidence = g.mul(g.sub(prompts.fg, prompts.neg), DEC.promptGain);
  const logits = g.add(g.add(base, offsets), evidence); // [B, 4, L, L]

  g.output('masks', logits, ['B', 4, L, L]);
  g.output('iouPredictions', iouPredictions(g, logits, prompts.convergence), ['B', 4]);
  g.output('objPtrs', objectPointers(g, logits, features), ['B', 4, C]);
  g.output('objectScoreLogits', objectScore(g, logits), ['B', 1]);
  return g;
}
