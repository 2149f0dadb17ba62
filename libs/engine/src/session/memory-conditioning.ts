/**
 * Builds memory-attention inputs for objects and runs them. Objects whose memory has the same shape
 * (number of memory frames and pointers) share one batched call; padding would change SAM 2's
 * outputs, grouping does not.
 */
import { ModelManifest } from '../manifest/manifest-schema';
import { fromBfloat16 } from '../numerics/bfloat16';
import { sinePositionalEncoding } from '../numerics/sine-pe';
import { ImageFeatures, SamModel } from '../runtime/sam-model';
import { FrameOutput } from '../state/frame-output';
import { MemoryRules, MemorySelection, selectMemory } from '../state/memory-selection';
import { ObjectTrack } from '../state/object-track';

const PTR_POS_BLOCK = 32;

export class MemoryConditioning {
  readonly rules: MemoryRules;
  /** Memory positional encoding, token-major [Hm*Wm, Cm], plus each t_pos's temporal row. */
  private posByTpos: Float32Array[] | undefined;
  private rawPos: Float32Array | undefined;
  private readonly ptrPosCache = new Map<number, Float32Array>();
  private memoryPosCache: { key: string; values: Float32Array } | undefined;
  private readonly tokensPerFrame: number;

  constructor(
    private readonly model: SamModel,
    private readonly numFrames: number,
  ) {
    const m = model.manifest;
    const t = m.tracking;
    this.rules = {
      numMaskmem: m.numMaskmem,
      stride: t.memoryTemporalStrideForEval,
      maxCondFramesInAttn: t.maxCondFramesInAttn,
      maxObjPtrsInEncoder: m.maxObjPtrsInEncoder,
      useObjPtrsInEncoder: t.useObjPtrsInEncoder,
      onlyObjPtrsInThePast: t.onlyObjPtrsInThePastForEval,
      signedTpos: t.useSignedTposEncToObjPtrs,
    };
    this.tokensPerFrame = m.memoryFeatureSize[0] * m.memoryFeatureSize[1];
  }

  private get manifest(): ModelManifest {
    return this.model.manifest;
  }

  /** Memory pos enc comes out of the memory encoder; it is the same for every frame and object. */
  setMemoryPosEnc(channelsFirst: Float32Array): void {
    if (this.posByTpos) return;
    this.rawPos = channelsFirst.slice();
    const cm = this.manifest.memoryDim;
    const n = this.tokensPerFrame;
    const { maskmemTposEnc } = this.model.constants;
    const numMaskmem = this.manifest.numMaskmem;
    this.posByTpos = [];
    for (let tPos = 0; tPos < numMaskmem; tPos++) {
      const row = (numMaskmem - tPos - 1) * cm;
      const tokens = new Float32Array(n * cm);
      for (let c = 0; c < cm; c++) {
        const tpos = maskmemTposEnc[row + c]!;
        for (let i = 0; i < n; i++) tokens[i * cm + c] = channelsFirst[c * n + i]! + tpos;
      }
      this.posByTpos.push(tokens);
    }
  }

  /** The memory encoder's positional encoding as it produced it (channels first), for checkpoints. */
  memoryPosEncChannelsFirst(): Float32Array | undefined {
    return this.rawPos;
  }

  select(track: ObjectTrack, frame: number, reverse: boolean): MemorySelection {
    return selectMemory(frame, reverse, this.numFrames, [...track.cond.keys()], (f) => track.hasNonCond(f), this.rules);
  }

  private async pointerPos(offsets: number[]): Promise<Float32Array[]> {
    const m = this.manifest;
    const cm = m.memoryDim;
    const t = m.tracking;
    if (!t.addTposEncToObjPtrs) return offsets.map(() => new Float32Array(cm));
    // A conditioning frame's offset grows by one per tracked frame; projecting the next block of
    // offsets in the same call saves a graph call on almost every frame.
    const missing = [
      ...new Set(
        offsets
          .filter((o) => !this.ptrPosCache.has(o))
          .flatMap((o) => Array.from({ length: PTR_POS_BLOCK }, (_, k) => o + Math.sign(o || 1) * k)),
      ),
    ].filter((o) => !this.ptrPosCache.has(o));
    if (missing.length) {
      const maxPtrs = Math.min(this.numFrames, m.maxObjPtrsInEncoder);
      const tDiffMax = Math.max(maxPtrs - 1, 1);
      const tposDim = t.projTposEncInObjPtrs ? m.hiddenDim : cm;
      const sine = new Float32Array(missing.length * tposDim);
      missing.forEach((o, i) => sine.set(sinePositionalEncoding(Math.fround(o / tDiffMax), tposDim), i * tposDim));
      const projected = t.projTposEncInObjPtrs
        ? await this.model.projectPointerTpos(sine, missing.length, tposDim)
        : sine;
      missing.forEach((o, i) => this.ptrPosCache.set(o, projected.slice(i * cm, (i + 1) * cm)));
    }
    return offsets.map((o) => this.ptrPosCache.get(o)!);
  }

  private async lookup(track: ObjectTrack, frame: number, cond: boolean): Promise<FrameOutput> {
    const out = cond ? track.cond.get(frame) : await track.getNonCond(frame);
    if (!out) throw new Error(`object ${track.id}: output of frame ${frame} vanished while building memory`);
    return out;
  }

  /** Returns conditioned features [B, C, H, W] in the order of `tracks`. */
  async condition(
    tracks: readonly ObjectTrack[],
    frame: number,
    reverse: boolean,
    features: ImageFeatures,
  ): Promise<Float32Array> {
    const m = this.manifest;
    const featureValues = m.hiddenDim * m.featureSize[0] * m.featureSize[1];
    let result: Float32Array | undefined;
    const selections = tracks.map((t) => this.select(t, frame, reverse));
    const groups = new Map<string, number[]>();
    selections.forEach((s, i) => {
      const key = `${s.memory.length}:${s.pointers.length}`;
      const members = groups.get(key) ?? [];
      members.push(i);
      groups.set(key, members);
    });
    if (!this.posByTpos) throw new Error('memory positional encoding unknown: no memory has been encoded yet');
    const cm = m.memoryDim;
    const c = m.hiddenDim;
    const frameValues = this.tokensPerFrame * cm;
    for (const members of groups.values()) {
      const first = selections[members[0]!]!;
      const nFrames = first.memory.length;
      const nPtrs = first.pointers.length;
      const b = members.length;
      const memory = new Float32Array(b * nFrames * frameValues);
      const memoryPos = this.memoryPosFor(
        members.map((index) => selections[index]!.memory.map((ref) => ref.tPos)),
        frameValues,
      );
      const ptrs = new Float32Array(b * nPtrs * c);
      const ptrPos = new Float32Array(b * nPtrs * cm);
      for (let k = 0; k < b; k++) {
        const index = members[k]!;
        const track = tracks[index]!;
        const sel = selections[index]!;
        for (let j = 0; j < nFrames; j++) {
          const ref = sel.memory[j]!;
          const out = await this.lookup(track, ref.frame, ref.cond);
          if (!out.memory) throw new Error(`object ${track.id}: frame ${ref.frame} has no encoded memory`);
          const at = (k * nFrames + j) * frameValues;
          fromBfloat16(out.memory, memory, at);
        }
        const positions = await this.pointerPos(sel.pointers.map((p) => p.offset));
        for (let j = 0; j < nPtrs; j++) {
          const ref = sel.pointers[j]!;
          const out = await this.lookup(track, ref.frame, ref.cond);
          ptrs.set(out.objPtr, (k * nPtrs + j) * c);
          ptrPos.set(positions[j]!, (k * nPtrs + j) * cm);
        }
      }
      const conditioned = await this.model.attendMemory(
        features,
        b,
        memory,
        memoryPos,
        nFrames * this.tokensPerFrame,
        ptrs,
        ptrPos,
        nPtrs,
      );
      // One group holding every object in order (the usual case) is the result as it is: no copy of
      // B x C x H x W values.
      if (b === tracks.length) return conditioned;
      result ??= new Float32Array(tracks.length * featureValues);
      for (let k = 0; k < b; k++)
        result.set(conditioned.subarray(k * featureValues, (k + 1) * featureValues), members[k]! * featureValues);
    }
    return result ?? new Float32Array(0);
  }

  /**
   * Memory positional encodings for a batch, by each member's temporal positions. They depend on
   * nothing else, so the tensor of the last layout is reused (the layout changes only while the
   * memory bank fills or a prompt arrives).
   */
  private memoryPosFor(tPosByMember: number[][], frameValues: number): Float32Array {
    const key = tPosByMember.map((t) => t.join(',')).join('|');
    if (this.memoryPosCache?.key === key) return this.memoryPosCache.values;
    const values = new Float32Array(tPosByMember.reduce((n, t) => n + t.length, 0) * frameValues);
    let at = 0;
    for (const tPos of tPosByMember) {
      for (const t of tPos) {
        values.set(this.posByTpos![t]!, at);
        at += frameValues;
      }
    }
    this.memoryPosCache = { key, values };
    return values;
  }

  /** Features of a first conditioning frame: no memory, just the no-memory embedding. */
  withoutMemory(features: ImageFeatures, batch: number): Float32Array {
    const m = this.manifest;
    const hw = m.featureSize[0] * m.featureSize[1];
    const vision = features.visionFeatures.data as Float32Array;
    const { noMemEmbed } = this.model.constants;
    const one = new Float32Array(m.hiddenDim * hw);
    for (let ch = 0; ch < m.hiddenDim; ch++) {
      const e = noMemEmbed[ch]!;
      for (let i = ch * hw, end = i + hw; i < end; i++) one[i] = vision[i]! + e;
    }
    if (batch === 1) return one;
    const out = new Float32Array(batch * one.length);
    for (let b = 0; b < batch; b++) out.set(one, b * one.length);
    return out;
  }
}
