/**
 * memoryAttention: two softmax attentions over the memory tokens plus a pointer-weighted colour model.
 *  - head A (stride-16 queries): logits = -|q - k|^2 / 2 + temporal bias with q, k = (appearance / sigma_c,
 *    position / sigma_p), written as q.k - |k|^2 / 2 (the |q|^2 term is constant per row) so it is one
 *    MatMul; output p_fg = sum_j w_j m_j.
 *  - head B (stride-32 queries, position + temporal bias only): local fg / bg appearance means from the
 *    purity-weighted sums, with the pointers' global model as a prior of small mass.
 *  Both heads attend to the memory pooled 2 x 2 per frame (8 x 8 cells of 64 pixels per frame).
 *  - pointers: recency weight exp(posEnc[0]) x presence; a zero pointer is appended so Np = 0 works.
 *    Their fg / bg appearance also enters head A as two position-free tokens (re-detection).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, ATTN, FEAT, MEM, MEMPOS, PTR, REF } from './config';

interface Inputs {
  feats: Value;
  pos: Value;
  memory: Value;
  memPos: Value;
  ptrs: Value;
  ptrPos: Value;
}

/** Keys [B, D + 1, Nm]: (scaled channels, temporal bias - |scaled|^2 / 2). */
function keys(g: GraphBuilder, parts: Value[], bias: Value): Value {
  const k = g.concat(parts, 2);
  const kb = g.sub(bias, g.mul(g.reduceSumSquare(k, [2]), 0.5));
  return g.transpose(g.concat([k, kb], 2), [0, 2, 1]);
}

/**
 * Memory tokens pooled 2 x 2 within each frame (masses and sums add up exactly; positions and the
 * temporal bias are averaged): [B, F * 256, Cm] -> [B, F * 64, Cm], 4x fewer keys for both heads.
 */
function poolTokens(g: GraphBuilder, tokens: Value, reduce: 'sum' | 'mean'): Value {
  const n = REF.memorySize / 2;
  const grid = g.reshape(tokens, [0, -1, n, 2, n, 2, REF.memoryDim]);
  const pooled = reduce === 'sum' ? g.reduceSum(grid, [3, 5], false) : g.reduceMean(grid, [3, 5], false);
  return g.reshape(pooled, [0, -1, REF.memoryDim]);
}

function tokenRows(g: GraphBuilder, map: Value, channels: number): Value {
  return g.transpose(g.reshape(map, [channels, -1]), [1, 0]); // [n*n, channels]
}

/**
 * Head A: each memory cell contributes two sub-tokens, its foreground and its background appearance
 * (purity-weighted means), each weighted by its mass (log-mass added to the key bias); the value is
 * 1 for foreground sub-tokens and 0 for background ones, so the output is p_fg. A mixed boundary cell
 * thus never looks like "half foreground" to a query that matches one of its two sides.
 * Two position-free tokens carry the pointers' fg / bg appearance with a fixed low prior: where the
 * memory does not explain a query's appearance (something new appeared there) and it looks like the
 * object, the object is found again, anywhere in the frame (re-detection after occlusion).
 * Logits: q = (c, p, 1, |p|^2 / 2), memory k = (c, p, bias - |k|^2 / 2, 0), global k = (c, 0,
 * prior - |c|^2 / 2, 1): both give -|q - k|^2 / 2 (+ bias) up to the row constant |q|^2 / 2.
 */
function headA(g: GraphBuilder, x: Inputs, global: Value): Value {
  const H = REF.featureSize;
  const colourScale = g.const(ATTN.colourScale);
  const qc = g.mul(tokenRows(g, g.narrow(x.feats, 1, 0, APPEARANCE), APPEARANCE), colourScale);
  const qp = g.mul(tokenRows(g, g.narrow(x.pos, 1, 0, 2), 2), ATTN.positionScaleA);
  const q = g.concat([qc, qp, g.const(new Float32Array(H * H).fill(1), [H * H, 1]), g.mul(g.reduceSumSquare(qp, [1]), 0.5)], 1); // [1024, 8]
  const kp = g.mul(g.narrow(x.memPos, 2, MEMPOS.x, MEMPOS.y + 1), ATTN.positionScaleA);
  const bias = g.narrow(x.memPos, 2, MEMPOS.temporalBias, MEMPOS.temporalBias + 1);
  const values: Value[] = [];
  const side = (massCh: number, sumCh: number, value: number) => {
    const mass = g.narrow(x.memory, 2, massCh, massCh + 1);
    values.push(g.add(g.mul(mass, 0), value));
    const mean = g.div(g.narrow(x.memory, 2, sumCh, sumCh + APPEARANCE), g.add(mass, ATTN.massEpsilon));
    const k = g.concat([g.mul(mean, colourScale), kp], 2); // [B, Nm, 6]
    const kb = g.sub(g.add(bias, g.log(g.add(mass, ATTN.logMassFloor))), g.mul(g.reduceSumSquare(k, [2]), 0.5));
    return g.concat([k, kb, g.mul(mass, 0)], 2); // [B, Nm, 8]
  };
  // Global tokens from the pointer model [B, 9, 1, 1] = (fg mean, bg mean, total weight). Their prior
  // grows with the number of memory frames (local evidence adds up over frames) and is switched off
  // while the latest memory still holds the object.
  const total = g.reshape(g.narrow(global, 1, 8, 9), [0, 1, 1]);
  const frames = g.div(g.cast(g.shape(x.memory, 1, 2), 'float'), (REF.memorySize / 2) ** 2); // [1]
  // Foreground mass of the latest memory frame: a softmax over frames of exp(k x temporal bias)
  // (the most recent frame dominates; the conditioning frame counts when it is all there is).
  const fgMass = g.narrow(x.memory, 2, MEM.fgMass, MEM.fgMass + 1);
  const recencyKey = g.narrow(x.memPos, 2, MEMPOS.recency, MEMPOS.recency + 1);
  const recency = g.exp(g.mul(recencyKey, ATTN.recencySharpness));
  const tokensPerFrame = (REF.memorySize / 2) ** 2;
  const recentFg = g.mul(g.div(g.reduceSum(g.mul(fgMass, recency), [1]), g.reduceSum(recency, [1])), tokensPerFrame); // [B, 1, 1]
  const hasPointers = g.log(g.add(g.div(total, g.add(total, 1e-8)), 1e-30));
  const prior = g.add(g.sub(g.add(hasPointers, g.log(frames)), recentFg), ATTN.globalTokenPrior); // [B, 1, 1]
  const globalSide = (from: number, value: number) => {
    const c = g.mul(g.reshape(g.narrow(global, 1, from, from + APPEARANCE), [0, 1, APPEARANCE]), colourScale); // [B, 1, 4]
    values.push(g.add(g.mul(total, 0), value));
    const kb = g.sub(prior, g.mul(g.reduceSumSquare(c, [2]), 0.5));
    return g.concat([c, g.mul(g.concat([total, total], 2), 0), kb, g.add(g.mul(total, 0), 1)], 2); // [B, 1, 8]
  };
  const tokens = [side(MEM.fgMass, MEM.fgSum, 1), side(MEM.bgMass, MEM.bgSum, 0), globalSide(0, 1), globalSide(APPEARANCE, 0)];
  const keys = g.transpose(g.concat(tokens, 1), [0, 2, 1]); // [B, 8, 2Nm + 2]
  const weights = g.softmax(g.matmul(q, keys), -1); // [B, 1024, 2Nm + 2]
  const pFg = g.matmul(weights, g.concat(values, 1)); // [B, 1024, 1]
  return g.reshape(pFg, [-1, 1, H, H]);
}

/** Head B: [B, 10, 16, 16] = (fgMass, fgSum x4, bgMass, bgSum x4) averaged with positional weights. */
function headB(g: GraphBuilder, x: Inputs): Value {
  const n = REF.featureSize / 2;
  const pos16 = g.avgPool(g.narrow(x.pos, 1, 0, 2), { kernel: [2, 2], strides: [2, 2] });
  const qp = g.mul(tokenRows(g, pos16, 2), ATTN.positionScaleB);
  const q = g.concat([qp, g.const(new Float32Array(n * n).fill(1), [n * n, 1])], 1); // [256, 3]
  const kp = g.mul(g.narrow(x.memPos, 2, MEMPOS.x, MEMPOS.y + 1), ATTN.positionScaleB);
  const bias = g.narrow(x.memPos, 2, MEMPOS.temporalBias, MEMPOS.temporalBias + 1);
  const weights = g.softmax(g.matmul(q, keys(g, [kp], bias)), -1); // [B, 256, Nm]
  const local = g.matmul(weights, g.narrow(x.memory, 2, MEM.fgMass, MEM.bgSum + APPEARANCE)); // [B, 256, 10]
  return g.reshape(g.transpose(local, [0, 2, 1]), [0, 0, n, n]);
}

/** Pointer colour model: [B, 9, 1, 1] = (fg mean x4, bg mean x4, total recency weight). */
function pointerModel(g: GraphBuilder, x: Inputs, batch: Value): Value {
  const C = REF.hiddenDim;
  const Cm = REF.memoryDim;
  const pad = (v: Value, width: number) =>
    g.concat([g.expand(g.const(new Float32Array(width), [1, 1, width]), g.concat([batch, g.constI64([1, width])], 0)), v], 1);
  const ptrs = pad(x.ptrs, C); // [B, Np + 1, C]
  const ptrPos = pad(x.ptrPos, Cm);
  const presence = g.narrow(ptrs, 2, PTR.presence, PTR.presence + 1);
  const w = g.mul(g.exp(g.narrow(ptrPos, 2, 0, 1)), presence); // [B, Np + 1, 1]
  const total = g.reduceSum(w, [1]); // [B, 1, 1]
  const sums = g.reduceSum(g.mul(w, g.narrow(ptrs, 2, PTR.fgMean, PTR.bgMean + APPEARANCE)), [1]); // [B, 1, 8]
  const means = g.div(sums, g.add(total, 1e-6));
  return g.reshape(g.concat([means, total], 2), [0, 2 * APPEARANCE + 1, 1, 1]);
}

/** Local means blended with the global model: (S + lam * g) / (A + lam), lam = mass * min(total, 1). */
function blend(g: GraphBuilder, local: Value, global: Value): Value[] {
  const lam = g.mul(g.min(g.narrow(global, 1, 8, 9), 1), ATTN.globalPriorMass); // [B, 1, 1, 1]
  const out: Value[] = [];
  for (const [mass, sum, gmean] of [
    [0, 1, 0],
    [5, 6, 4],
  ] as const) {
    const a = g.narrow(local, 1, mass, mass + 1);
    const s = g.narrow(local, 1, sum, sum + APPEARANCE);
    const gm = g.narrow(global, 1, gmean, gmean + APPEARANCE);
    out.push(g.div(g.add(s, g.mul(lam, gm)), g.add(g.add(a, lam), 1e-6)));
  }
  return out;
}

export function buildMemoryAttention(): GraphBuilder {
  const g = new GraphBuilder('reference_memory_attention');
  const { hiddenDim: C, featureSize: H, memoryDim: Cm } = REF;
  const x: Inputs = {
    feats: g.input('currFeatures', [1, C, H, H]),
    pos: g.input('currPosEnc', [1, C, H, H]),
    memory: g.input('memory', ['B', 'Nm', Cm]),
    memPos: g.input('memoryPosEnc', ['B', 'Nm', Cm]),
    ptrs: g.input('objPtrs', ['B', 'Np', C]),
    ptrPos: g.input('objPtrPosEnc', ['B', 'Np', Cm]),
  };
  const batch = g.shape(x.memory, 0, 1);
  x.memory = g.scope('pool', () => poolTokens(g, x.memory, 'sum'));
  x.memPos = g.scope('pool', () => poolTokens(g, x.memPos, 'mean'));
  const global = g.scope('pointers', () => pointerModel(g, x, batch));
  const pFg = g.scope('head_a', () => headA(g, x, global));
  const local = g.scope('head_b', () => headB(g, x));
  const [fgMean, bgMean] = blend(g, local, global);
  const localMaps = g.concat([fgMean!, bgMean!, g.narrow(local, 1, 0, 1), g.narrow(local, 1, 5, 6)], 1); // [B, 10, 16, 16]
  const up = g.resize(localMaps, { scales: [1, 1, 2, 2], mode: 'linear' });
  const spatial = (channels: number) => g.concat([batch, g.constI64([channels, H, H])], 0);
  const appearance = g.expand(g.narrow(x.feats, 1, 0, APPEARANCE), spatial(APPEARANCE));
  const globalMaps = g.expand(global, spatial(2 * APPEARANCE + 1));
  const out = g.concat([appearance, pFg, up, globalMaps], 1); // 4 + 1 + 10 + 9 = 24 channels
  if (FEAT.globalWeight !== 23) throw new Error('feature layout drifted from the concat order');
  g.output('conditionedFeatures', g.pad(out, [0, 0, 0, 0, 0, C - 24, 0, 0]), ['B', C, H, H]);
  return g;
}
