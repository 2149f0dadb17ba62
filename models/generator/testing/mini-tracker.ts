/**
 * A reduced SAM 2 video loop over the role graphs, following the contract (models/README.md): the
 * first frame is prompted (noMemEmbed), later frames attend to the conditioning frame and up to
 * numMaskmem - 1 recent frames plus object pointers, pick the best multimask token, and store a new
 * memory. Enough to check that the reference model tracks; the real loop is the engine's.
 */
import { sinePositionalEncoding } from '../../../libs/engine/src/numerics/sine-pe';
import { f32, data } from './ort-run';
import {
  addNoMem,
  attend,
  decode,
  encodeImage,
  encodeMemory,
  memoryTokens,
  ModelDims,
  Prompt,
  Sessions,
} from './pipeline';

interface FrameState {
  tokens: Float32Array;
  pos: Float32Array;
  ptr: Float32Array;
  present: boolean;
}

export interface TrackStep {
  logits: Float32Array; // [L * L] of the chosen token
  score: number;
}

export class MiniTracker {
  private cond?: { frame: number; state: FrameState };
  private readonly recent = new Map<number, FrameState>();

  constructor(
    private readonly sessions: Sessions,
    private readonly d: ModelDims,
    private readonly consts: { tpos: Float32Array; noMem: Float32Array; noObjPtr: Float32Array },
    private readonly maxPtrs = 16,
  ) {}

  private best(iou: Float32Array, multimask: boolean): number {
    if (!multimask) return 0;
    let t = 1;
    for (let k = 2; k <= 3; k++) if (iou[k]! > iou[t]!) t = k;
    return t;
  }

  private async remember(
    enc: Awaited<ReturnType<typeof encodeImage>>,
    logits: Float32Array,
    score: number,
    ptr: Float32Array,
    binarize: boolean,
  ): Promise<FrameState> {
    const mem = await encodeMemory(this.sessions, enc, logits, Float32Array.of(score), binarize, this.d);
    const { tokens, posTokens } = memoryTokens(
      mem.memoryFeatures!,
      mem.memoryPosEnc!,
      new Float32Array(this.d.Cm),
      this.d,
    );
    // bfloat16 rounding of the stored memory, as the engine does
    const u = new Uint32Array(tokens.buffer);
    for (let i = 0; i < u.length; i++) u[i] = ((u[i]! + 0x7fff + ((u[i]! >>> 16) & 1)) & 0xffff0000) >>> 0;
    return { tokens, pos: posTokens, ptr: score > 0 ? ptr : this.consts.noObjPtr, present: score > 0 };
  }

  private L2(): number {
    return this.d.L * this.d.L;
  }

  async prompt(frame: number, image: Float32Array, prompt: Prompt): Promise<TrackStep> {
    const enc = await encodeImage(this.sessions, image, this.d);
    const out = await decode(
      this.sessions,
      enc,
      addNoMem(enc.visionFeatures, this.consts.noMem, 1, this.d),
      [prompt],
      this.d,
    );
    const t = this.best(data(out.iouPredictions), prompt.points.length <= 1);
    const logits = data(out.masks).slice(t * this.L2(), (t + 1) * this.L2());
    const score = data(out.objectScoreLogits)[0]!;
    const ptr = data(out.objPtrs).slice(t * this.d.C, (t + 1) * this.d.C);
    this.cond = { frame, state: await this.remember(enc, logits, score, ptr, true) };
    return { logits, score };
  }

  async track(frame: number, image: Float32Array): Promise<TrackStep> {
    if (!this.cond) throw new Error('prompt first');
    const { d, consts } = this;
    const enc = await encodeImage(this.sessions, image, d);
    const row = (r: number) => consts.tpos.subarray(r * d.Cm, (r + 1) * d.Cm);
    const mems: Float32Array[] = [];
    const poss: Float32Array[] = [];
    const add = (s: FrameState, r: number) => {
      mems.push(s.tokens);
      poss.push(s.pos.map((v, i) => v + row(r)[i % d.Cm]!));
    };
    add(this.cond.state, d.numMaskmem - 1);
    for (let tPos = 1; tPos < d.numMaskmem; tPos++) {
      const tRel = d.numMaskmem - tPos;
      const s = this.recent.get(frame - tRel);
      if (s) add(s, d.numMaskmem - tPos - 1);
    }
    const ptrs: Float32Array[] = [];
    const offsets: number[] = [];
    if (this.cond.frame < frame) {
      ptrs.push(this.cond.state.ptr);
      offsets.push(frame - this.cond.frame);
    }
    for (let k = 1; k < this.maxPtrs; k++) {
      const s = this.recent.get(frame - k);
      if (s) {
        ptrs.push(s.ptr);
        offsets.push(k);
      }
    }
    const sine = new Float32Array(offsets.length * d.C);
    offsets.forEach((o, i) => sine.set(sinePositionalEncoding(o / (this.maxPtrs - 1), d.C), i * d.C));
    const proj = this.sessions.objPtrTposProj
      ? data((await this.sessions.objPtrTposProj.run({ sinePe: f32(sine, [offsets.length, d.C]) })).posEnc)
      : new Float32Array(offsets.length * d.Cm);
    const cat = (xs: Float32Array[]) => {
      const out = new Float32Array(xs.reduce((a, x) => a + x.length, 0));
      let o = 0;
      for (const x of xs) {
        out.set(x, o);
        o += x.length;
      }
      return out;
    };
    const conditioned = await attend(this.sessions, enc, cat(mems), cat(poss), cat(ptrs), proj, 1, d);
    const out = await decode(this.sessions, enc, conditioned, [{ points: [[0, 0]], labels: [-1] }], d);
    const t = this.best(data(out.iouPredictions), true);
    const logits = data(out.masks).slice(t * this.L2(), (t + 1) * this.L2());
    const score = data(out.objectScoreLogits)[0]!;
    const ptr = data(out.objPtrs).slice(t * d.C, (t + 1) * d.C);
    const stored = score > 0 ? logits : logits.map(() => -10);
    this.recent.set(frame, await this.remember(enc, stored, score, ptr, false));
    return { logits, score };
  }
}
