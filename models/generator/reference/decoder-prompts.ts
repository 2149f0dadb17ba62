/**
 * Prompt evidence of the mask decoder, in [0, 1] per pixel of the L x L grid, for the four tokens:
 *  - clicks: from each point grow a region by appearance similarity to the click's colour,
 *    R <- max(R, maxpool3x3(R) * sim * decay) at 64 x 64 from a Gaussian seed around the click,
 *    unrolled; tokens 1..3 stop after growing 3 extents, token 0 uses the largest; the result is
 *    refined at 128 x 128 by similarity (the seed itself always counts).
 *    Positive clicks give foreground evidence, negative clicks carve out.
 *  - boxes (labels 2 / 3): inside-box pixels closer to the box core's colour than to the ring's.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { DEC } from './config';
import { DistanceMap, pixelCentres, pointGaussians, sqDistance, weightedMean } from './decoder-common';

export interface PromptInputs {
  coords: Value; // [B, P, 2]
  labels: Value; // [B, P]
  map128: DistanceMap;
  map64: DistanceMap;
  rows128: Value; // [16384, 4] scaled appearance rows
}

export interface PromptEvidence {
  fg: Value; // [B, 4, L, L]
  neg: Value; // [B, 4, L, L]
  convergence: Value; // [B, 4, 1, 1]: IoU of each token's region with one more growth step
}

const MAXPOOL3 = { kernel: [3, 3], pads: [1, 1, 1, 1] } as const;

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
  const simOf = (map: DistanceMap) => g.exp(g.mul(sqDistance(g, map, colour), -0.5));
  const sim64 = simOf(x.map64);
  const step = g.mul(sim64, DEC.growthDecay);
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
  const pos = overPoints(isPos);
  const fg64 = g.narrow(pos, 1, 0, 4);
  const neg64 = g.narrow(overPoints(isNeg), 1, 0, 4);
  const hard = (v: Value) => g.sigmoid(g.mul(g.sub(v, 0.5), 20));
  const a = hard(fg64);
  const b = hard(g.narrow(pos, 1, 4, 8));
  const convergence = g.div(g.add(g.reduceSum(g.min(a, b), [2, 3]), 1), g.add(g.reduceSum(g.max(a, b), [2, 3]), 1));
  const sim128 = simOf(x.map128);
  const seed128 = seed(x.map128.n);
  const refine = (v: Value, mask: Value) =>
    g.max(
      g.mul(g.maxPool(g.resize(v, { scales: [1, 1, 2, 2], mode: 'linear' }), MAXPOOL3), maxOverPoints(g, sim128, mask)),
      maxOverPoints(g, seed128, mask),
    );
  return { fg: refine(fg64, isPos), neg: refine(neg64, isNeg), convergence };
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
  return { fg: g.max(c.fg, box), neg: c.neg, convergence: c.convergence };
}
