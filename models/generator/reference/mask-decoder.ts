/**
 * maskDecoder: logits of four tokens = base + prompt evidence, where the base is the previous mask
 * (hasMaskInput), the prompt base (any prompt point) or the tracking evidence (memory only), then
 * the IoU / object-score / pointer heads.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, DEC, K, REF } from './config';
import { distanceMap, rows, scaledAppearance } from './decoder-common';
import { iouPredictions, objectPointers, objectScore, pooledLogits } from './decoder-heads';
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

  const perObject = (v: Value) => g.reshape(v, [-1, 1, 1, 1]);
  const anyPrompt = perObject(g.toFloat(g.greater(g.reduceMax(labels, [1]), -0.5)));
  const hasMask = perObject(hasMaskInput);
  const trackOnly = g.mul(g.sub(1, hasMask), g.sub(1, anyPrompt));
  const anyInBatch = (flags: Value) => g.greater(g.reduceMax(flags, [0, 1, 2, 3], false), 0.5);
  const batchShape = (...rest: number[]) => g.concat([g.shape(features, 0, 1), g.constI64(rest)], 0);

  // Region growing runs only when some object of the batch has a prompt (If): tracking calls skip it.
  const [fg, neg, convergence, wholeObject] = g.ifElse(
    anyInBatch(anyPrompt),
    (t) =>
      t.scope('prompts', () => {
        const scaled128 = scaledAppearance(t, highRes0);
        const map128 = distanceMap(t, scaled128, 4 * H);
        const map64 = distanceMap(t, scaledAppearance(t, highRes1), 2 * H);
        const bins128 = t.narrow(highRes0, 1, APPEARANCE, APPEARANCE + K);
        const e = promptEvidence(t, { coords, labels, map128, map64, rows128: rows(t, scaled128), bins128, hasMask });
        return [e.fg, e.neg, e.convergence, e.wholeObject];
      }),
    (e) => [
      e.constantOfShape(batchShape(4, L, L), 0),
      e.constantOfShape(batchShape(4, L, L), 0),
      e.constantOfShape(batchShape(4, 1, 1), 1),
      e.constantOfShape(batchShape(1, 1, 1), 0),
    ],
  );
  const tracking = g.scope('tracking', () => trackingEvidence(g, features, highRes0, L));
  const noMaskBase = g.add(g.mul(anyPrompt, DEC.promptBase), g.mul(g.sub(1, anyPrompt), tracking.logits));
  const maskBase = g.clip(maskInput, DEC.promptBase, -DEC.promptBase);
  const base = g.add(g.mul(hasMask, maskBase), g.mul(g.sub(1, hasMask), noMaskBase));
  const offsets = g.mul(trackOnly, g.const(DEC.trackOffsets, [1, 4, 1, 1]));
  // Geodesic Voronoi between positive and negative clicks: a pixel reached (> 0.5) by a positive
  // click more strongly than by any negative one is foreground whatever the base, and vice versa.
  const claim = (a: Value, b: Value) =>
    g.mul(g.clip(g.mul(g.sub(a, g.max(b, 0.5)), DEC.claimSharpness), 0, 1), DEC.promptGain);
  const won = claim(fg!, neg!);
  // The rim of a whole object grown from one click stays foreground with a weak logit: the memory
  // encoder then leaves it out of the object's colour model (its pixels blend object and background).
  const k = 2 * DEC.clickRim + 1;
  const core = g.sub(
    1,
    g.maxPool(g.sub(1, g.div(won, DEC.promptGain)), { kernel: [k, k], pads: Array(4).fill(DEC.clickRim) }),
  );
  const rim = g.clip(g.sub(g.div(won, DEC.promptGain), core), 0, 1);
  const evidence = g.sub(g.sub(won, claim(neg!, fg!)), g.mul(g.mul(rim, wholeObject!), DEC.rimDrop));
  const logits = g.add(g.add(base, offsets), evidence); // [B, 4, L, L]

  g.output('masks', logits, ['B', 4, L, L]);
  const pooled = pooledLogits(g, logits);
  // Tracking: token 1 (no offset) is the estimate; the grown / shrunk tokens are alternatives only.
  const trackIou = g.add(g.sub(1, trackOnly), g.mul(trackOnly, g.const(DEC.trackIouPrior, [1, 4, 1, 1])));
  g.output('iouPredictions', iouPredictions(g, pooled, g.mul(convergence!, trackIou)), ['B', 4]);
  g.output('objPtrs', objectPointers(g, pooled), ['B', 4, C]);
  // A tracked object's presence is read from its region-averaged evidence (TrackingEvidence.presence).
  const presenceLogits = g.add(logits, g.mul(trackOnly, g.sub(tracking.presence, tracking.logits)));
  g.output('objectScoreLogits', objectScore(g, pooledLogits(g, presenceLogits)), ['B', 1]);
  return g;
}
