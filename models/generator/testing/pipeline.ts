/** A thin driver of the role graphs (what the engine does, reduced to what the tests need). */
import * as ort from 'onnxruntime-node';
import { data, f32, Outputs, zeros } from './ort-run';

export interface ModelDims {
  S: number;
  C: number;
  Cm: number;
  H: number;
  Hm: number;
  L: number;
  numMaskmem: number;
}

export interface Encoded {
  visionFeatures: ort.Tensor;
  visionPosEnc: ort.Tensor;
  highRes0: ort.Tensor;
  highRes1: ort.Tensor;
}

export type Sessions = Record<string, ort.InferenceSession>;

function s(sessions: Sessions, role: string): ort.InferenceSession {
  const session = sessions[role];
  if (!session) throw new Error(`no session for ${role}`);
  return session;
}

export async function encodeImage(sessions: Sessions, image: Float32Array, d: ModelDims): Promise<Encoded> {
  const out = await s(sessions, 'imageEncoder').run({ image: f32(image, [1, 3, d.S, d.S]) });
  return out as unknown as Encoded;
}

/** Repeats a [1, ...] tensor B times along axis 0. */
export function repeatBatch(t: ort.Tensor, B: number): ort.Tensor {
  const src = data(t);
  const out = new Float32Array(src.length * B);
  for (let b = 0; b < B; b++) out.set(src, b * src.length);
  return f32(out, [B, ...t.dims.slice(1)]);
}

/** features + noMemEmbed, the first conditioning frame's decoder input. */
export function addNoMem(features: ort.Tensor, noMem: Float32Array, B: number, d: ModelDims): ort.Tensor {
  const base = data(features);
  const hw = d.H * d.H;
  const out = new Float32Array(B * d.C * hw);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < d.C; c++) {
      for (let i = 0; i < hw; i++) out[(b * d.C + c) * hw + i] = base[c * hw + i]! + noMem[c]!;
    }
  }
  return f32(out, [B, d.C, d.H, d.H]);
}

export interface Prompt {
  points: [number, number][];
  labels: number[];
}

export async function decode(
  sessions: Sessions,
  enc: Encoded,
  features: ort.Tensor,
  prompts: Prompt[],
  d: ModelDims,
  maskInput?: Float32Array,
): Promise<Outputs> {
  const B = prompts.length;
  const P = Math.max(...prompts.map((p) => p.points.length));
  const coords = new Float32Array(B * P * 2);
  const labels = new Float32Array(B * P).fill(-1);
  prompts.forEach((p, b) =>
    p.points.forEach(([x, y], i) => {
      coords[(b * P + i) * 2] = x;
      coords[(b * P + i) * 2 + 1] = y;
      labels[b * P + i] = p.labels[i]!;
    }),
  );
  return await s(sessions, 'maskDecoder').run({
    features,
    highRes0: enc.highRes0,
    highRes1: enc.highRes1,
    pointCoords: f32(coords, [B, P, 2]),
    pointLabels: f32(labels, [B, P]),
    maskInput: maskInput ? f32(maskInput, [B, 1, d.L, d.L]) : zeros([B, 1, d.L, d.L]),
    hasMaskInput: f32(new Float32Array(B).fill(maskInput ? 1 : 0), [B]),
  });
}

export async function encodeMemory(
  sessions: Sessions,
  enc: Encoded,
  maskLogits: Float32Array,
  score: Float32Array,
  binarize: boolean,
  d: ModelDims,
): Promise<Outputs> {
  const B = score.length;
  return await s(sessions, 'memoryEncoder').run({
    visionFeatures: enc.visionFeatures,
    maskLogits: f32(maskLogits, [B, 1, d.L, d.L]),
    objectScoreLogits: f32(score, [B, 1]),
    binarize: f32(new Float32Array(B).fill(binarize ? 1 : 0), [B]),
  });
}

/** One memory frame as tokens: features [B, Cm, Hm, Wm] -> [B, Hm*Wm, Cm]; pos + temporal row. */
export function memoryTokens(memFeatures: ort.Tensor, memPos: ort.Tensor, tposRow: Float32Array, d: ModelDims) {
  const B = memFeatures.dims[0]!;
  const hw = d.Hm * d.Hm;
  const feats = data(memFeatures);
  const pos = data(memPos);
  const tokens = new Float32Array(B * hw * d.Cm);
  const posTokens = new Float32Array(B * hw * d.Cm);
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < d.Cm; c++) {
      for (let i = 0; i < hw; i++) {
        tokens[(b * hw + i) * d.Cm + c] = feats[(b * d.Cm + c) * hw + i]!;
        posTokens[(b * hw + i) * d.Cm + c] = pos[c * hw + i]! + tposRow[c]!;
      }
    }
  }
  return { tokens, posTokens };
}

/** Concatenates memory frames along the token axis per object. */
export function concatFrames(frames: Float32Array[], B: number, tokensPerFrame: number, Cm: number): Float32Array {
  const out = new Float32Array(B * frames.length * tokensPerFrame * Cm);
  const per = tokensPerFrame * Cm;
  for (let b = 0; b < B; b++)
    frames.forEach((f, k) => out.set(f.subarray(b * per, (b + 1) * per), (b * frames.length + k) * per));
  return out;
}

export async function attend(
  sessions: Sessions,
  enc: Encoded,
  memory: Float32Array,
  memoryPos: Float32Array,
  ptrs: Float32Array,
  ptrPos: Float32Array,
  B: number,
  d: ModelDims,
): Promise<ort.Tensor> {
  const Nm = memory.length / (B * d.Cm);
  const Np = ptrs.length / (B * d.C);
  const out = await s(sessions, 'memoryAttention').run({
    currFeatures: enc.visionFeatures,
    currPosEnc: enc.visionPosEnc,
    memory: f32(memory, [B, Nm, d.Cm]),
    memoryPosEnc: f32(memoryPos, [B, Nm, d.Cm]),
    objPtrs: f32(ptrs, [B, Np, d.C]),
    objPtrPosEnc: f32(ptrPos, [B, Np, d.Cm]),
  });
  return out.conditionedFeatures!;
}
