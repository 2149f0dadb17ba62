/**
 * Prompts on a tracked frame, where the decoder's features are conditioned on the object's memory (as
 * SAM 2 decodes a correction from memory-conditioned features plus the clicks):
 *  - the memory knows what the object looks like: a positive click also grows over the pixels
 *    connected to it that the memory's colour model calls object, a negative click over those it
 *    calls background. A click's own colour is one sample; the memory holds the whole object's.
 *  - the click says where the object is: the parts of the previous mask (the mask input) that the
 *    positive evidence does not reach are something else the tracker had locked onto, and go.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { DEC } from './config';
import { pointGaussians } from './decoder-common';

const MAXPOOL3 = { kernel: [3, 3], pads: [1, 1, 1, 1] } as const;
const HALVE = { kernel: [2, 2], strides: [2, 2] } as const;

/** Seeds of the clicks with one label at n x n: [B, 1, n, n], min(1, 2 G) around each click. */
function seeds(g: GraphBuilder, coords: Value, labels: Value, label: number, n: number): Value {
  const isLabel = g.unsqueeze(g.toFloat(g.equal(labels, label)), [2, 3]); // [B, P, 1, 1]
  const seed = g.min(g.mul(pointGaussians(g, coords, n, DEC.clickSigma), 2), 1); // [B, P, n, n]
  return g.reduceMax(g.mul(seed, isLabel), [1]);
}

/** Region growing from seeds over a per-pixel step in [0, 1], at 64 x 64, back to L x L. */
function grow(g: GraphBuilder, seed: Value, step: Value): Value {
  let region = seed;
  for (let k = 1; k <= DEC.growthSteps; k++) region = g.max(region, g.mul(g.maxPool(region, MAXPOOL3), step));
  return g.resize(region, { scales: [1, 1, 2, 2], mode: 'linear' });
}

export interface MemoryRegions {
  fg: Value; // [B, 1, L, L] in [0, 1]
  neg: Value; // [B, 1, L, L] in [0, 1]
}

/** What the object's memory adds to the clicks: zero on frames without a memory of the object. */
export function memoryRegions(
  g: GraphBuilder,
  x: { coords: Value; labels: Value; colour: Value; fromMemory: Value },
): MemoryRegions {
  const colour64 = g.avgPool(x.colour, HALVE); // [B, 1, 64, 64]
  const n = 64;
  const step = (sign: number) => g.mul(g.sigmoid(g.mul(colour64, sign * DEC.memoryClickSharpness)), DEC.growthDecay);
  return {
    fg: g.mul(grow(g, seeds(g, x.coords, x.labels, 1, n), step(1)), x.fromMemory),
    neg: g.mul(grow(g, seeds(g, x.coords, x.labels, 0, n), step(-1)), x.fromMemory),
  };
}

/**
 * [B, 1, L, L]: 1 where the mask input may stay, 0 on its parts the positive evidence (fg [B, T, L, L])
 * neither covers nor touches (a geodesic reconstruction of the mask from the evidence at 64 x 64).
 * Objects without a positive click keep their whole mask input.
 */
export function anchoredMask(g: GraphBuilder, maskInput: Value, fg: Value, labels: Value): Value {
  const inside = g.maxPool(g.toFloat(g.greater(maskInput, 0)), HALVE); // [B, 1, 64, 64]
  const claimed = g.maxPool(g.toFloat(g.greater(g.reduceMax(fg, [1]), 0.5)), HALVE);
  let reached = g.mul(g.maxPool(claimed, MAXPOOL3), inside);
  for (let k = 1; k <= DEC.anchorSteps; k++) reached = g.min(g.maxPool(reached, MAXPOOL3), inside);
  const keep = g.resize(g.add(reached, g.sub(1, inside)), { scales: [1, 1, 2, 2], mode: 'nearest' });
  const hasPos = g.reshape(g.reduceMax(g.toFloat(g.equal(labels, 1)), [1]), [-1, 1, 1, 1]);
  return g.add(g.mul(hasPos, keep), g.sub(1, hasPos));
}
