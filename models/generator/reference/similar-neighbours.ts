/**
 * Averaging among similar neighbours: a stride-4 cell's value is averaged with its 3 x 3 neighbours
 * in proportion to their appearance similarity, so noise is averaged away inside a region while a
 * thin part or a corner keeps its own evidence. The weights depend on the image alone: the image
 * encoder computes them once per frame (highRes0), every decoder call reads them.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { HIGHRES0 } from './config';
import { edgeClampedNeighbours, scaledAppearance } from './decoder-common';

/** The eight neighbours' offsets (dy, dx), row-major, the cell itself left out (its weight is 1). */
const NEIGHBOURS: readonly [number, number][] = [-1, 0, 1]
  .flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx] as [number, number]))
  .filter(([dy, dx]) => dy !== 0 || dx !== 0);

/**
 * [1, 8, L, L] weight of each neighbour of a cell: its appearance similarity to the cell, as the
 * click's region growing measures it. `appearance` is the [1, 4, L, L] appearance map.
 */
export function similarNeighbours(g: GraphBuilder, appearance: Value, L: number): Value {
  const a = scaledAppearance(g, appearance);
  const neighbour = edgeClampedNeighbours(g, a, L);
  return g.concat(
    NEIGHBOURS.map(([dy, dx]) => g.exp(g.mul(g.reduceSumSquare(g.sub(neighbour(dy, dx), a), [1]), -0.5))),
    1,
  );
}

/**
 * v [B, 1, L, L] averaged over each cell and its neighbours of similar appearance (weights from
 * highRes0): a box average followed by a threshold would erode every part under three cells wide.
 */
export function smoothAmongSimilar(g: GraphBuilder, v: Value, highRes0: Value, L: number): Value {
  const weights = g.narrow(highRes0, 1, HIGHRES0.similarity, HIGHRES0.similarity + NEIGHBOURS.length); // [1, 8, L, L]
  const neighbour = edgeClampedNeighbours(g, v, L);
  const stacked = g.concat(
    NEIGHBOURS.map(([dy, dx]) => neighbour(dy, dx)),
    1,
  ); // [B, 8, L, L]
  const sum = g.add(v, g.reduceSum(g.mul(stacked, weights), [1]));
  return g.div(sum, g.add(g.reduceSum(weights, [1]), 1));
}
