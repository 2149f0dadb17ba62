/** Building blocks of the shape-test graphs, with weights drawn from a seeded PRNG at build time. */
import { GraphBuilder, Rng, Value } from '@masklet/onnx-builder';

/** Creates named initializers from one seeded stream (the creation order fixes the bytes). */
export class Weights {
  private readonly rng: Rng;

  constructor(
    readonly g: GraphBuilder,
    seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  normal(name: string, dims: number[], std: number): Value {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.g.weight(name, this.rng.normalArray(n, std), dims);
  }

  fill(name: string, dims: number[], value: number): Value {
    const n = dims.reduce((a, b) => a * b, 1);
    return this.g.weight(name, new Float32Array(n).fill(value), dims);
  }
}

export function gelu(g: GraphBuilder, x: Value): Value {
  return g.mul(g.mul(x, 0.5), g.add(g.erf(g.mul(x, Math.SQRT1_2)), 1));
}

/** x [..., din] @ W [din, dout] + b. */
export function linear(w: Weights, x: Value, din: number, dout: number, name = 'linear'): Value {
  const W = w.normal(`${name}_w`, [din, dout], 1 / Math.sqrt(din));
  return w.g.add(w.g.matmul(x, W), w.fill(`${name}_b`, [dout], 0));
}

/** An MLP with ReLU between layers: dims = [in, hidden..., out]. */
export function mlp(w: Weights, x: Value, dims: number[], name = 'mlp'): Value {
  let h = x;
  for (let i = 0; i + 1 < dims.length; i++) {
    h = linear(w, h, dims[i]!, dims[i + 1]!, `${name}${i}`);
    if (i + 2 < dims.length) h = w.g.relu(h);
  }
  return h;
}

/** LayerNormalization over the last axis. */
export function layerNorm(w: Weights, x: Value, dim: number, name = 'ln'): Value {
  return w.g.layerNorm(x, w.fill(`${name}_g`, [dim], 1), w.fill(`${name}_b`, [dim], 0), -1, 1e-5);
}

/** LayerNorm2d: normalises NCHW over the channel axis. */
export function layerNorm2d(w: Weights, x: Value, channels: number, name = 'ln2d'): Value {
  const g = w.g;
  const centred = g.sub(x, g.reduceMean(x, [1]));
  const normed = g.div(centred, g.sqrt(g.add(g.reduceMean(g.square(centred), [1]), 1e-6)));
  return g.add(g.mul(normed, w.fill(`${name}_g`, [1, channels, 1, 1], 1)), w.fill(`${name}_b`, [1, channels, 1, 1], 0));
}

export interface ConvSpec {
  cin: number;
  cout: number;
  k: number;
  stride?: number;
  pad?: number;
  group?: number;
}

export function conv(w: Weights, x: Value, s: ConvSpec, name = 'conv'): Value {
  const group = s.group ?? 1;
  const fanIn = (s.cin / group) * s.k * s.k;
  const W = w.normal(`${name}_w`, [s.cout, s.cin / group, s.k, s.k], 1 / Math.sqrt(fanIn));
  const pad = s.pad ?? 0;
  return w.g.conv(x, W, w.fill(`${name}_b`, [s.cout], 0), {
    strides: [s.stride ?? 1, s.stride ?? 1],
    pads: [pad, pad, pad, pad],
    group,
  });
}

/** ConvTranspose k x k stride k (the decoder's output upscaling). */
export function upconv(w: Weights, x: Value, cin: number, cout: number, k: number, name = 'upconv'): Value {
  const W = w.normal(`${name}_w`, [cin, cout, k, k], 1 / Math.sqrt(cin));
  return w.g.convTranspose(x, W, w.fill(`${name}_b`, [cout], 0), { strides: [k, k] });
}

export interface AttentionSpec {
  qDim: number;
  kDim: number;
  vDim: number;
  inner: number;
  heads: number;
  outDim: number;
  /**
   * Attend the Nq queries (a static count) `size` at a time: each chunk's scores are freed before
   * the next chunk's are computed, so at most B x heads x size x Nk scores are held. Rows of a softmax
   * are independent, so the output is that of the whole matrix.
   */
  queryChunk?: { queries: number; size: number };
}

/** Multi-head attention: q [B, Nq, qDim], k [B, Nk, kDim], v [B, Nk, vDim] -> [B, Nq, outDim]. */
export function attention(w: Weights, q: Value, k: Value, v: Value, s: AttentionSpec, name = 'attn'): Value {
  const g = w.g;
  const d = s.inner / s.heads;
  const split = (x: Value) => (s.heads === 1 ? x : g.transpose(g.reshape(x, [0, 0, s.heads, d]), [0, 2, 1, 3]));
  const Q = split(linear(w, q, s.qDim, s.inner, `${name}_q`));
  const K = split(linear(w, k, s.kDim, s.inner, `${name}_k`));
  const V = split(linear(w, v, s.vDim, s.inner, `${name}_v`));
  const Kt = g.transpose(K, s.heads === 1 ? [0, 2, 1] : [0, 1, 3, 2]);
  const attend = (Qc: Value) => g.matmul(g.softmax(g.mul(g.matmul(Qc, Kt), 1 / Math.sqrt(d)), -1), V);
  let out: Value;
  if (s.queryChunk && s.queryChunk.size < s.queryChunk.queries) {
    const axis = s.heads === 1 ? 1 : 2;
    const { queries, size } = s.queryChunk;
    const chunks: Value[] = [];
    for (let from = 0; from < queries; from += size)
      chunks.push(attend(g.narrow(Q, axis, from, Math.min(queries, from + size))));
    out = g.concat(chunks, axis);
  } else out = attend(Q);
  if (s.heads > 1) out = g.reshape(g.transpose(out, [0, 2, 1, 3]), [0, 0, s.inner]);
  return linear(w, out, s.inner, s.outDim, `${name}_o`);
}

/** [1 or B, C, H, W] -> [., H*W, C]. */
export function toTokens(g: GraphBuilder, x: Value, channels: number): Value {
  return g.transpose(g.reshape(x, [0, channels, -1]), [0, 2, 1]);
}

/** [B, H*W, C] -> [B, C, H, W]. */
export function toMap(g: GraphBuilder, x: Value, channels: number, h: number): Value {
  return g.reshape(g.transpose(x, [0, 2, 1]), [0, channels, h, h]);
}

/**
 * The sine positional encoding of SAM 2's PositionEmbeddingSine (normalised, scale 2 pi,
 * temperature 10000): [1, dim, n, n], y features then x features, each sin / cos interleaved.
 */
export function sinePositionMap(dim: number, n: number): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(dim * n * n);
  const scale = 2 * Math.PI;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const y = ((i + 1) / (n + 1e-6)) * scale;
      const x = ((j + 1) / (n + 1e-6)) * scale;
      for (let k = 0; k < half; k++) {
        const t = Math.pow(10000, (2 * Math.floor(k / 2)) / half);
        const fy = k % 2 === 0 ? Math.sin(y / t) : Math.cos(y / t);
        const fx = k % 2 === 0 ? Math.sin(x / t) : Math.cos(x / t);
        out[k * n * n + i * n + j] = fy;
        out[(half + k) * n * n + i * n + j] = fx;
      }
    }
  }
  return out;
}
