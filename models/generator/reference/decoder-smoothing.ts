/**
 * Edge-aware smoothing of the tracking colour evidence at stride 4: a cell is averaged with its
 * 3 x 3 neighbours in proportion to their appearance similarity, so noise is averaged away inside a
 * region while a thin part or a corner keeps its own evidence.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { scaledAppearance } from './decoder-common';

const OFFSETS: readonly [number, number][] = [-1, 0, 1].flatMap((dy) =>
  [-1, 0, 1].map((dx) => [dy, dx] as [number, number]),
);

function neighbour(g: GraphBuilder, padded: Value, dy: number, dx: number, L: number): Value {
  return g.narrow(g.narrow(padded, 2, 1 + dy, 1 + dy + L), 3, 1 + dx, 1 + dx + L);
}

/**
 * [1, 9, L, L] weight of each 3 x 3 neighbour of a cell: its appearance similarity to the cell, as
 * the click's region growing measures it (1 for the cell itself). The per-image part of the smoothing.
 */
export function similarNeighbours(g: GraphBuilder, highRes0: Value, L: number): Value {
  const a = scaledAppearance(g, highRes0); // [1, 4, L, L]
  const padded = g.pad(a, [0, 0, 1, 1, 0, 0, 1, 1], 'edge');
  return g.concat(
    OFFSETS.map(([dy, dx]) => g.exp(g.mul(g.reduceSumSquare(g.sub(neighbour(g, padded, dy, dx, L), a), [1]), -0.5))),
    1,
  );
}

/**
 * The colour log-ratio averaged over the cell's 3 x 3 neighbours of similar appearance: noise is
 * averaged away as by a box filter, but a thin part or a corner is not averaged with the background
 * beside it (a box filter followed by a threshold erodes parts under three cells wide).
 */
export function smoothAmongSimilar(g: GraphBuilder, v: Value, weights: Value, L: number): Value {
  const padded = g.pad(v, [0, 0, 1, 1, 0, 0, 1, 1], 'edge');
  const stacked = g.concat(
    OFFSETS.map(([dy, dx]) => neighbour(g, padded, dy, dx, L)),
    1,
  ); // [B, 9, L, L]
  return g.div(g.reduceSum(g.mul(stacked, weights), [1]), g.reduceSum(weights, [1]));
}
