/** Helpers shared by the mask decoder's parts: appearance rows, point Gaussians, colour distances. */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, DEC, REF } from './config';

/** [1, 4, n, n] appearance scaled by the similarity sigmas (distances come out in sigma units). */
export function scaledAppearance(g: GraphBuilder, map: Value): Value {
  return g.mul(g.narrow(map, 1, 0, APPEARANCE), g.const(DEC.similarityScale, [1, APPEARANCE, 1, 1]));
}

/**
 * Reads the (dy, dx) neighbour of every cell of v [N, C, L, L] (|dy|, |dx| <= 1), the grid's edge
 * repeated beyond it: v is padded once, each neighbour is a slice.
 */
export function edgeClampedNeighbours(g: GraphBuilder, v: Value, L: number): (dy: number, dx: number) => Value {
  const padded = g.pad(v, [0, 0, 1, 1, 0, 0, 1, 1], 'edge');
  return (dy, dx) => g.narrow(g.narrow(padded, 2, 1 + dy, 1 + dy + L), 3, 1 + dx, 1 + dx + L);
}

/** An appearance map as rows: [1, 4, n, n] -> [n*n, 4]. */
export function rows(g: GraphBuilder, map: Value): Value {
  return g.transpose(g.reshape(map, [APPEARANCE, -1]), [1, 0]);
}

/** A precomputed map for squared distances to many colours: rows^T and per-pixel squared norms. */
export interface DistanceMap {
  cols: Value; // [4, n*n]
  norms: Value; // [1, 1, n*n]
  n: number;
}

export function distanceMap(g: GraphBuilder, scaled: Value, n: number): DistanceMap {
  return {
    cols: g.reshape(scaled, [APPEARANCE, -1]),
    norms: g.reshape(g.reduceSumSquare(scaled, [1]), [1, 1, -1]),
    n,
  };
}

/** |h(x) - c_q|^2 for colours c [B, Q, 4] (scaled) -> [B, Q, n, n], clipped at 0. */
export function sqDistance(g: GraphBuilder, map: DistanceMap, c: Value): Value {
  const cross = g.matmul(c, map.cols); // [B, Q, n*n]
  const d2 = g.add(g.sub(map.norms, g.mul(cross, 2)), g.reduceSumSquare(c, [2]));
  return g.reshape(g.clip(d2, 0), [0, 0, map.n, map.n]);
}

/** Cell centres of an n-cell axis in input-square pixels, shaped [1, 1, n]. */
export function pixelCentres(g: GraphBuilder, n: number): Value {
  const step = REF.imageSize / n;
  return g.const(
    Float32Array.from({ length: n }, (_, i) => (i + 0.5) * step),
    [1, 1, n],
  );
}

/** Gaussian weight of each point on an n x n grid: [B, P, n, n] (peak <= 1 at the point). */
export function pointGaussians(g: GraphBuilder, coords: Value, n: number, sigma: number): Value {
  const centres = pixelCentres(g, n);
  const axis = (c: number) => {
    const d = g.sub(centres, g.narrow(coords, 2, c, c + 1)); // [B, P, n]
    return g.exp(g.mul(g.square(d), -0.5 / (sigma * sigma)));
  };
  return g.mul(g.unsqueeze(axis(1), [3]), g.unsqueeze(axis(0), [2]));
}

/** Weighted mean colour: weights [B, Q, n, n], rows [n*n, 4] -> [B, Q, 4]. */
export function weightedMean(g: GraphBuilder, weights: Value, appearanceRows: Value): Value {
  const flat = g.reshape(weights, [0, 0, -1]);
  return g.div(g.matmul(flat, appearanceRows), g.add(g.reduceSum(flat, [2]), 1e-6));
}
