/** Constant coordinate grids used by several graphs (normalised to [0, 1] or in input pixels). */

/** Cell centres of an n-cell axis, normalised: (i + 0.5) / n. */
export function axisCentres(n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i + 0.5) / n) * scale);
}

/**
 * A [1, channels, n, n] position map: channel xCh = x, channel yCh = y (normalised cell centres),
 * every other channel 0.
 */
export function positionMap(channels: number, n: number, xCh: number, yCh: number): Float32Array {
  const out = new Float32Array(channels * n * n);
  const c = axisCentres(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[xCh * n * n + i * n + j] = c[j]!;
      out[yCh * n * n + i * n + j] = c[i]!;
    }
  }
  return out;
}

/** [n*n, 2] token positions (x, y), row-major over the grid. */
export function tokenPositions(n: number): Float32Array {
  const out = new Float32Array(n * n * 2);
  const c = axisCentres(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[(i * n + j) * 2] = c[j]!;
      out[(i * n + j) * 2 + 1] = c[i]!;
    }
  }
  return out;
}
