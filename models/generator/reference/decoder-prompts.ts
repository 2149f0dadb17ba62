/**
 * Prompt evidence of the mask decoder, in [0, 1] per pixel of the L x L grid, for the four tokens:
 *  - clicks: from each point grow a region by appearance similarity to the click's colour,
 *    R <- max(R, maxpool3x3(R) * sim * decay) at 64 x 64 from a Gaussian seed around the click,
 *    unrolled, once per rung of a colour-tolerance ladder (the similarity sigmas scaled by 1x / 2x /
 *    3x of the ladder's unit: a part, the object, the object and its surroundings, as SAM 2's three
 *    multimask outputs); each rung is refined at 128 x 128 by similarity (the seed itself always
 *    counts) and closed. A rung's quality (the IoU head's input) is the colour contrast across its
 *    boundary; token 0 is the best rung. Positive clicks give foreground evidence, negative clicks
 *    carve out.
 *  - boxes (labels 2 / 3): inside-box pixels closer to the box core's colour than to the ring's.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { ATTN, DEC } from './config';
import { objectColumnsMatmul } from './grids';
import { DistanceMap, pixelCentres, pointGaussians, sqDistance, weightedMean } from './decoder-common';

export interface PromptInputs {
  coords: Value; // [B, P, 2]
  labels: Value; // [B, P]
  map128: DistanceMap;
  map64: DistanceMap;
  rows128: Value; // [16384, 4] scaled appearance rows
  bins128: Value; // [16384, K] soft colour-bin assignment of each pixel (highRes0's bins)
  tolerances: readonly number[]; // the click's colour-tolerance ladder, one rung per multimask token
  maskInput: Value; // [B, 1, L, L] the previous logits (hasMaskInput), L = the 128 x 128 grid
  hasMaskInput: Value; // [B, 1, 1, 1]
  fromMemory: Value; // [B, 1, 1, 1] 1 on a tracked frame (features conditioned on the object's memory)
}

export interface PromptEvidence {
  fg: Value; // [B, 4, L, L]
  neg: Value; // [B, 4, L, L]
  quality: Value; // [B, 4, 1, 1]: boundary-contrast score of each token's region (1 without a positive click)
}

const MAXPOOL3 = { kernel: [3, 3], pads: [1, 1, 1, 1] } as const;
/** Boundary band of a candidate mask at 128 x 128: 2 pixels each side (8 input pixels). */
const BAND = { kernel: [5, 5], pads: [2, 2, 2, 2] } as const;

function closing(g: GraphBuilder, v: Value, k: typeof BAND): Value {
  return g.sub(1, g.maxPool(g.sub(1, g.maxPool(v, k)), k));
}

function labelMask(g: GraphBuilder, labels: Value, label: number): Value {
  return g.toFloat(g.equal(labels, label)); // [B, P]
}

/** Max over points of a [B, P, n, n] map weighted by a [B, P] mask -> [B, 1, n, n]. */
function maxOverPoints(g: GraphBuilder, map: Value, mask: Value): Value {
  return g.reduceMax(g.mul(map, g.unsqueeze(mask, [2, 3])), [1]);
}

function clicks(g: GraphBuilder, x: PromptInputs): PromptEvidence {
  const isPos = labelMask(g, x.labels, 1);
  const isNeg = labelMask(g, x.labels, 0);
  const colour = weightedMean(g, pointGaussians(g, x.coords, x.map128.n, DEC.colourSigma), x.rows128); // [B, P, 4]
  // Rung 0 is the unit tolerance, for negative clicks: they carve out the part around them, not the
  // whole object. Rungs 1..3 are the positive ladder (one per multimask token).
  const rungs = [1, ...x.tolerances];
  const T = rungs.length;
  // Similarity to the click's colour at each rung of the tolerance ladder: [B, P * T, n, n], rung-minor.
  const ladder = (map: DistanceMap) => {
    const d2 = g.unsqueeze(sqDistance(g, map, colour), [2]); // [B, P, 1, n, n]
    const scales = g.const(
      rungs.map((t) => -0.5 / (t * t)),
      [1, 1, T, 1, 1],
    );
    return g.reshape(g.exp(g.mul(d2, scales)), [0, -1, map.n, map.n]);
  };
  const perRung = (v: Value, n: number) => g.reshape(v, [0, -1, T, n, n]); // [B, P, T, n, n]
  const step = g.mul(ladder(x.map64), DEC.growthDecay);
  const seed = (n: number) => g.min(g.mul(pointGaussians(g, x.coords, n, DEC.clickSigma), 2), 1); // [B, P, n, n]
  const seedRungs = (n: number) =>
    g.reshape(g.expand(g.unsqueeze(seed(n), [2]), g.constI64([1, 1, T, 1, 1])), [0, -1, n, n]);
  let region = seedRungs(x.map64.n);
  for (let k = 1; k <= DEC.growthSteps; k++) region = g.max(region, g.mul(g.maxPool(region, MAXPOOL3), step));
  const overPoints = (v: Value, mask: Value, n: number) =>
    g.reduceMax(g.mul(perRung(v, n), g.unsqueeze(mask, [2, 3, 4])), [1], false); // [B, T, n, n]
  const ladderOf = (v: Value) => g.narrow(v, 1, 1, T);
  const unitOf = (v: Value) => g.narrow(v, 1, 0, 1);
  const fg64 = ladderOf(overPoints(region, isPos, 64));
  const neg64 = unitOf(overPoints(region, isNeg, 64));
  const hard = (v: Value) => g.sigmoid(g.mul(g.sub(v, 0.5), 20));
  const sim128 = ladder(x.map128);
  const seed128 = seed(x.map128.n);
  const refine = (v: Value, mask: Value, rungsOf: (v: Value) => Value) =>
    g.max(
      g.mul(
        g.maxPool(g.resize(v, { scales: [1, 1, 2, 2], mode: 'linear' }), MAXPOOL3),
        rungsOf(overPoints(sim128, mask, 128)),
      ),
      maxOverPoints(g, seed128, mask),
    );
  // Objects are solid: the gaps colour growth leaves at shading and texture (narrower than the
  // contrast band) are closed, a grey-level closing (dilation, then erosion) of the positive evidence.
  const neg = refine(neg64, isNeg, unitOf);
  // A correction on a tracked frame edits the accepted mask where it was clicked: the positive
  // evidence reaches at most DEC.correctionReach cells (128 x 128 grid) beyond the mask and the
  // clicks' seeds (the rungs' colour growth would otherwise flood look-alike background; the object's
  // memory supplies its other colours, decoder-corrections.ts). Without a memory (the first prompted
  // frame) another click may still extend the mask as far as its colour reaches.
  const reach = DEC.correctionReach;
  const edited = g.maxPool(g.max(g.toFloat(g.greater(x.maskInput, 0)), maxOverPoints(g, seed128, isPos)), {
    kernel: [2 * reach + 1, 2 * reach + 1],
    pads: [reach, reach, reach, reach],
  });
  const limited = g.mul(x.hasMaskInput, x.fromMemory);
  const allowed = g.add(g.mul(limited, edited), g.sub(1, limited));
  const grown = g.mul(refine(fg64, isPos, ladderOf), allowed);
  // The EM step gives a first click the object's other colours. With a mask input the object is known
  // already (and on a tracked frame its memory adds them): a correction's own region, with its ring
  // cutting through the object, would model the object as background.
  const em = closing(g, colourExpansion(g, grown, x.bins128, x.map128.n), BAND);
  const expanded = g.add(g.mul(x.hasMaskInput, closing(g, grown, BAND)), g.mul(g.sub(1, x.hasMaskInput), em));
  // What negative clicks claim is never joined: there the positive evidence is the click's own
  // region, which the negative competes with (a negative click only ever removes pixels).
  const fg = g.max(closing(g, grown, BAND), g.mul(expanded, g.sub(1, hard(neg))));
  // An object's outline lies on a colour edge: each rung is scored by the colour contrast across its
  // boundary, and the single-mask token 0 is the best-scored rung.
  const contrast = boundaryContrast(g, hard(expanded), x.rows128, x.map128.n);
  // Objects without a positive click keep quality 1, exactly what a batch without prompts gives them.
  const hasPos = g.reshape(g.reduceMax(isPos, [1]), [-1, 1, 1, 1]);
  const contrastQuality = g.div(contrast, g.add(contrast, 1)); // [B, T, 1, 1]
  const quality = g.add(g.mul(contrastQuality, hasPos), g.sub(1, hasPos));
  // With a mask input the annotator has accepted a candidate already: each rung is scored by how
  // well it agrees with it (IoU; contrast breaks ties, as when the click lies outside it), so token 0
  // and the multimask choice refine that candidate at its granularity (a negative click shrinks it).
  const previous = g.toFloat(g.greater(x.maskInput, 0)); // [B, 1, n, n]
  const candidate = hard(expanded);
  const inter = g.reduceSum(g.mul(candidate, previous), [2, 3]);
  const union = g.sub(g.add(g.reduceSum(candidate, [2, 3]), g.reduceSum(previous, [2, 3])), inter);
  const agreement = g.div(inter, g.add(union, 1e-6)); // [B, T, 1, 1]
  const refining = g.mul(x.hasMaskInput, hasPos);
  const choice = g.add(
    g.mul(refining, g.add(g.mul(agreement, 0.9), g.mul(quality, 0.1))),
    g.mul(g.sub(1, refining), quality),
  );
  const best = g.toFloat(g.equal(choice, g.reduceMax(choice, [1])));
  const pick = g.div(best, g.reduceSum(best, [1]));
  const first = (v: Value) => g.concat([g.reduceSum(g.mul(v, pick), [1]), v], 1);
  const negAll = g.expand(neg, g.constI64([1, 4, 1, 1]));
  return { fg: first(fg), neg: negAll, quality: first(choice) };
}

/**
 * One EM step of the tracker's colour model on the click's own frame: each rung's region and the ring
 * around it (the memory encoder's ring, at twice its 64 x 64 kernels) give fg / bg bin histograms, and
 * pixels near the region whose bins the region explains better than its surroundings join it. Colour
 * growth from one click stops at the first shade it does not tolerate; the histogram model takes in
 * the object's other colours that the ring does not have (what tracking does on the following frames).
 * The model is the positive clicks' alone.
 */
function colourExpansion(g: GraphBuilder, region: Value, bins: Value, n: number): Value {
  const hard = g.sigmoid(g.mul(g.sub(region, 0.5), 20)); // [B, T, n, n]
  const dilate = (v: Value, k: number) =>
    g.maxPool(v, { kernel: [k, k], pads: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2] });
  const near = dilate(hard, 2 * ATTN.ringKernel - 1);
  const ring = g.clip(g.sub(near, dilate(hard, 2 * ATTN.ringGap - 1)), 0);
  const binsT = g.transpose(bins, [1, 0]); // [K, n*n]
  const dist = (w: Value) => {
    const h = objectColumnsMatmul(g, binsT, g.reshape(w, [-1, n * n])); // [B*T, K]
    return g.div(h, g.add(g.reduceSum(h, [1]), 1e-6));
  };
  const llr = g.clip(
    g.sub(g.log(g.add(dist(hard), ATTN.histEpsilon)), g.log(g.add(dist(ring), ATTN.histEpsilon))),
    -ATTN.llrClip,
    ATTN.llrClip,
  ); // [B*T, K]
  let score = g.reshape(objectColumnsMatmul(g, bins, llr), g.shape(region)); // [B, T, n, n]
  for (let i = 0; i < DEC.smoothPasses; i++) score = g.avgPool(score, { kernel: [3, 3], pads: [1, 1, 1, 1] });
  const joined = g.mul(near, g.sigmoid(g.mul(score, DEC.trackGain * DEC.globalWeight)));
  return g.max(region, joined);
}

/**
 * Squared distance (in similarity sigmas) between the mean colour of a mask's inner boundary band
 * and that of its outer band, both 2 pixels wide: [B, T, 1, 1] for masks [B, T, n, n] in [0, 1].
 */
function boundaryContrast(g: GraphBuilder, mask: Value, rows: Value, n: number): Value {
  const band = BAND;
  const inner = g.sub(mask, g.sub(1, g.maxPool(g.sub(1, mask), band)));
  const outer = g.sub(g.maxPool(mask, band), mask);
  const mean = (w: Value) => {
    const flat = g.reshape(w, [0, 0, n * n]);
    return g.div(g.matmul(flat, g.narrow(rows, 1, 0, 3)), g.add(g.reduceSum(flat, [2]), 1e-3)); // [B, T, 3]
  };
  return g.unsqueeze(g.reduceSumSquare(g.sub(mean(inner), mean(outer)), [2]), [3]);
}

/** A soft indicator of [a, b] along the L-grid axis: [B, 1, n] from bounds [B, 1]. */
function softInterval(g: GraphBuilder, centres: Value, a: Value, b: Value): Value {
  const tau = 2;
  const lo = g.sigmoid(g.div(g.sub(centres, g.unsqueeze(a, [2])), tau));
  const hi = g.sigmoid(g.div(g.sub(g.unsqueeze(b, [2]), centres), tau));
  return g.mul(lo, hi);
}

/**
 * The box's own evidence (inside it, closer to the core's colour than to the ring's), and how far
 * clicks may claim foreground: as far as that evidence (anywhere without a box).
 */
function boxes(g: GraphBuilder, x: PromptInputs): { evidence: Value; gate: Value } {
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
  const present = g.unsqueeze(hasBox, [2, 3]); // [B, 1, 1, 1]
  const evidence = g.mul(g.mul(inside, g.sigmoid(llr)), present);
  return { evidence, gate: g.add(evidence, g.sub(1, present)) };
}

export function promptEvidence(g: GraphBuilder, x: PromptInputs): PromptEvidence {
  const c = g.scope('clicks', () => clicks(g, x));
  const box = g.scope('box', () => boxes(g, x));
  // A box bounds the object and gives its colour model: clicks connect what that model calls object.
  return { fg: g.max(g.mul(c.fg, box.gate), box.evidence), neg: c.neg, quality: c.quality };
}
