/**
 * Prompt evidence of the mask decoder, in [0, 1] per pixel of the L x L grid, for the four tokens:
 *  - one positive click alone (no negative click, no mask input): a whole object, grown through the
 *    pixels that the click's colour model (decoder-click-model.ts) calls object;
 *  - refinement clicks: from each point grow a region by appearance similarity to the click's
 *    colour, R <- max(R, maxpool3x3(R) * sim * decay) at 64 x 64 from a Gaussian seed around the
 *    click, unrolled; tokens 1..3 stop after growing 3 extents, token 0 uses the largest; the result
 *    is refined at 128 x 128 by similarity (the seed itself always counts). Positive clicks give
 *    foreground evidence, negative clicks carve out;
 *  - boxes (labels 2 / 3): inside-box pixels closer to the box core's colour than to the ring's.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { CLICK_MODEL, DEC } from './config';
import { binGrid, colourLogRatio, logRatioMap, passability } from './decoder-click-model';
import { DistanceMap, pixelCentres, pointGaussians, sqDistance, weightedMean } from './decoder-common';

export interface PromptInputs {
  coords: Value; // [B, P, 2]
  labels: Value; // [B, P]
  map128: DistanceMap;
  map64: DistanceMap;
  rows128: Value; // [16384, 4] scaled appearance rows
  bins128: Value; // [1, K, 128, 128] soft colour bins (the tracker's histogram space)
  hasMask: Value; // [B, 1, 1, 1] 1 where the decoder is given the object's mask (maskInput)
}

export interface PromptEvidence {
  fg: Value; // [B, 4, L, L]
  neg: Value; // [B, 4, L, L]
  convergence: Value; // [B, 4, 1, 1]: IoU of each token's region with one more growth step
  wholeObject: Value; // [B, 1, 1, 1]: 1 where the prompt is one positive click alone (a whole object is asked for)
}

const MAXPOOL3 = { kernel: [3, 3], pads: [1, 1, 1, 1] } as const;

function labelMask(g: GraphBuilder, labels: Value, label: number): Value {
  return g.toFloat(g.equal(labels, label)); // [B, P]
}

/** Max over points of a [B, P, n, n] map weighted by a [B, P] mask -> [B, 1, n, n]. */
function maxOverPoints(g: GraphBuilder, map: Value, mask: Value): Value {
  return g.reduceMax(g.mul(map, g.unsqueeze(mask, [2, 3])), [1]);
}

/** Region growing from seeds [B, P, n, n] through `step` [B, 1 | P, n, n], one 3 x 3 max per step. */
function grow(g: GraphBuilder, seeds: Value, step: Value, steps: number): Value {
  let region = seeds;
  for (let k = 0; k < steps; k++) region = g.max(region, g.mul(g.maxPool(region, MAXPOOL3), step));
  return region;
}

const hard = (g: GraphBuilder, v: Value) => g.sigmoid(g.mul(g.sub(v, 0.5), 20));

/** IoU of two soft masks [B, T, n, n] -> [B, T, 1, 1]. */
function softIou(g: GraphBuilder, a: Value, b: Value): Value {
  return g.div(g.add(g.reduceSum(g.min(a, b), [2, 3]), 1), g.add(g.reduceSum(g.max(a, b), [2, 3]), 1));
}

/**
 * Positive clicks: region growing gated by the click colour model, re-estimated from the grown
 * region (decoder-click-model.ts), starting from the region of the click's own colour. A model that
 * still changes after `iterations` rounds is leaking into look-alike surroundings: the first
 * round's region is kept instead. Tokens: (the chosen region, the chosen region, the first round's,
 * the last round's).
 */
function positiveRegions(g: GraphBuilder, x: PromptInputs, isPos: Value, isNeg: Value, seeds: Value, similar: Value) {
  const CM = CLICK_MODEL;
  const grid64 = binGrid(g, g.avgPool(x.bins128, { kernel: [2, 2], strides: [2, 2] }), x.map64.n);
  const grid128 = binGrid(g, x.bins128, x.map128.n);
  const negNear = maxOverPoints(g, pointGaussians(g, x.coords, grid64.n, CM.farSigma), isNeg);
  const regionOf = (llr: Value, steps: number = CM.steps) =>
    maxOverPoints(
      g,
      grow(g, seeds, g.mul(passability(g, logRatioMap(g, llr, grid64), 0), DEC.growthDecay), steps),
      isPos,
    );
  const gap = 2 * CM.ringGap + 1;
  const outside = (fg: Value) => g.sub(1, g.maxPool(fg, { kernel: [gap, gap], pads: Array(4).fill(CM.ringGap) }));
  const farFromClicks = g.sub(1, maxOverPoints(g, pointGaussians(g, x.coords, grid64.n, CM.farSigma), isPos));
  const models = [colourLogRatio(g, maxOverPoints(g, similar, isPos), g.max(farFromClicks, negNear), grid64)];
  const grown: Value[] = [];
  const regions: Value[] = [];
  for (let i = 0; i <= CM.iterations; i++) {
    grown.push(regionOf(models[i]!));
    regions.push(hard(g, grown[i]!));
    if (i < CM.iterations) models.push(colourLogRatio(g, regions[i]!, g.max(outside(regions[i]!), negNear), grid64));
  }
  const last = CM.iterations - 1;
  const iou = g.reshape(softIou(g, regions[last]!, regions[CM.iterations]!), [-1, 1, 1]); // [B, 1, 1] like the log-ratios
  const converged = g.sigmoid(g.mul(g.sub(iou, CM.convergedIou), 100));
  const chosen = g.add(g.mul(converged, g.sub(models[last]!, models[0]!)), models[0]!);
  const alternatives = [chosen, models[0]!, models[last]!];
  const tokens = (maps: Value[]) => g.concat([maps[0]!, ...maps], 1); // [B, 4, n, n]
  return {
    fg64: tokens([regionOf(chosen), grown[0]!, grown[last]!]),
    next64: tokens(alternatives.map((llr) => regionOf(llr, CM.steps + 1))),
    pass128: tokens(alternatives.map((llr) => passability(g, logRatioMap(g, llr, grid128), 0))),
  };
}

/**
 * One positive click and nothing else (no negative click, no mask input) asks for a whole object:
 * SAM 2 resolves that ambiguity with its multimask output, here the click colour model
 * (positiveRegions). Refinement clicks edit the mask they are given, locally: their regions grow by
 * similarity to each click's own colour.
 */
function wholeObjectRequest(g: GraphBuilder, isPos: Value, isNeg: Value, hasMask: Value): Value {
  const count = (mask: Value) => g.reshape(g.reduceSum(mask, [1]), [-1, 1, 1, 1]);
  const one = g.toFloat(g.equal(count(isPos), 1));
  const noNeg = g.toFloat(g.equal(count(isNeg), 0));
  return g.mul(g.mul(one, noNeg), g.sub(1, hasMask));
}

function clicks(g: GraphBuilder, x: PromptInputs): PromptEvidence {
  const isPos = labelMask(g, x.labels, 1);
  const isNeg = labelMask(g, x.labels, 0);
  const colour = weightedMean(g, pointGaussians(g, x.coords, x.map128.n, DEC.colourSigma), x.rows128); // [B, P, 4]
  const simOf = (map: DistanceMap) => g.exp(g.mul(sqDistance(g, map, colour), -0.5));
  const step = g.mul(simOf(x.map64), DEC.growthDecay);
  const seed = (n: number) => g.min(g.mul(pointGaussians(g, x.coords, n, DEC.clickSigma), 2), 1);
  let region = seed(x.map64.n);
  const [n1, n2, n3] = DEC.growthSteps;
  const taps = new Map<number, Value>([[0, region]]);
  for (let k = 1; k <= n3 + 1; k++) {
    region = g.max(region, g.mul(g.maxPool(region, MAXPOOL3), step));
    taps.set(k, region);
  }
  // All taps at once: [B, P, 8, 64, 64] = tokens (n3, n1, n2, n3) then the same one step later.
  const order = [n3, n1, n2, n3];
  const stacked = g.concat(
    [...order, ...order.map((n) => n + 1)].map((n) => g.unsqueeze(taps.get(n)!, [2])),
    2,
  );
  const overPoints = (mask: Value) => g.reduceMax(g.mul(stacked, g.unsqueeze(mask, [2, 3, 4])), [1], false); // [B, 8, 64, 64]
  const local = overPoints(isPos);
  const neg64 = g.narrow(overPoints(isNeg), 1, 0, 4);
  const seed128 = seed(x.map128.n);
  const up = (v: Value) => g.maxPool(g.resize(v, { scales: [1, 1, 2, 2], mode: 'linear' }), MAXPOOL3);
  const sim128 = simOf(x.map128);
  const localFg = g.max(
    g.mul(up(g.narrow(local, 1, 0, 4)), maxOverPoints(g, sim128, isPos)),
    maxOverPoints(g, seed128, isPos),
  );
  const localConvergence = softIou(g, hard(g, g.narrow(local, 1, 0, 4)), hard(g, g.narrow(local, 1, 4, 8)));

  const whole = g.scope('click_model', () => positiveRegions(g, x, isPos, isNeg, taps.get(0)!, taps.get(n2)!));
  // The alternatives (first and last round) are chosen only when clearly more stable.
  const wholeConvergence = g.mul(
    softIou(g, hard(g, whole.fg64), hard(g, whole.next64)),
    g.const(CLICK_MODEL.tokenPrior, [1, 4, 1, 1]),
  );
  const wholeFg = g.max(g.mul(up(whole.fg64), whole.pass128), maxOverPoints(g, seed128, isPos));

  const wholeObject = wholeObjectRequest(g, isPos, isNeg, x.hasMask);
  const pick = (a: Value, b: Value) => g.add(g.mul(wholeObject, g.sub(a, b)), b);
  const neg = g.max(g.mul(up(neg64), maxOverPoints(g, sim128, isNeg)), maxOverPoints(g, seed128, isNeg));
  return { fg: pick(wholeFg, localFg), neg, convergence: pick(wholeConvergence, localConvergence), wholeObject };
}

/** A soft indicator of [a, b] along the L-grid axis: [B, 1, n] from bounds [B, 1]. */
function softInterval(g: GraphBuilder, centres: Value, a: Value, b: Value): Value {
  const tau = 2;
  const lo = g.sigmoid(g.div(g.sub(centres, g.unsqueeze(a, [2])), tau));
  const hi = g.sigmoid(g.div(g.sub(g.unsqueeze(b, [2]), centres), tau));
  return g.mul(lo, hi);
}

function boxes(g: GraphBuilder, x: PromptInputs): Value {
  const n = x.map128.n;
  const corner = (label: number) => {
    const mask = labelMask(g, x.labels, label);
    const count = g.reduceSum(mask, [1]); // [B, 1]
    const sum = g.reduceSum(g.mul(x.coords, g.unsqueeze(mask, [2])), [1], false); // [B, 2]
    return { xy: g.div(sum, g.max(count, 1)), count };
  };
  const tl = corner(2);
  const br = corner(3);
  const hasBox = g.min(g.min(tl.count, br.count), 1); // [B, 1]
  const x0 = g.narrow(tl.xy, 1, 0, 1);
  const y0 = g.narrow(tl.xy, 1, 1, 2);
  const x1 = g.narrow(br.xy, 1, 0, 1);
  const y1 = g.narrow(br.xy, 1, 1, 2);
  const w = g.sub(x1, x0);
  const h = g.sub(y1, y0);
  const centres = pixelCentres(g, n);
  const box = (grow: number, margin: number) => {
    const dx = g.add(g.mul(w, grow), margin);
    const dy = g.add(g.mul(h, grow), margin);
    const ix = softInterval(g, centres, g.sub(x0, dx), g.add(x1, dx)); // [B, 1, n]
    const iy = softInterval(g, centres, g.sub(y0, dy), g.add(y1, dy));
    return g.mul(g.unsqueeze(iy, [3]), g.unsqueeze(ix, [2])); // [B, 1, n, n]
  };
  const inside = box(0, 0);
  const core = box(-DEC.boxCore, 0);
  const ring = g.clip(g.sub(box(DEC.boxRing, 8), inside), 0);
  const coreColour = weightedMean(g, core, x.rows128); // [B, 1, 4]
  const ringColour = weightedMean(g, ring, x.rows128);
  const llr = g.mul(g.sub(sqDistance(g, x.map128, ringColour), sqDistance(g, x.map128, coreColour)), 0.5);
  return g.mul(g.mul(inside, g.sigmoid(llr)), g.unsqueeze(hasBox, [2, 3]));
}

export function promptEvidence(g: GraphBuilder, x: PromptInputs): PromptEvidence {
  const c = g.scope('clicks', () => clicks(g, x));
  const box = g.scope('box', () => boxes(g, x));
  return { fg: g.max(c.fg, box), neg: c.neg, convergence: c.convergence, wholeObject: c.wholeObject };
}
