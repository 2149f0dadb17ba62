/**
 * The decoder step of SAM2Base._forward_sam_heads for a batch of objects, then what the video
 * predictor does with it: choose the mask token, blank absent objects (NO_OBJ_SCORE), blend the
 * pointer with the no-object pointer, fill small holes. Also encodes memories in batches.
 */
import { bfloat16TokenMajor } from './token-layout';
import { chooseMask } from '../postprocess/mask-selection';
import { HoleFiller } from '../postprocess/fill-holes';
import { ImageFeatures, SamModel } from '../runtime/sam-model';
import { FrameOutput } from '../state/frame-output';
import { PointPrompt } from '../state/object-track';

export const NO_OBJ_SCORE = -1024;
/** The reference clamps previous logits used as a mask prompt to avoid rare numerical issues. */
const PREV_LOGIT_CLAMP = 32;

export interface HeadsRequest {
  /** [B, C, H, W] */
  features: Float32Array;
  /** One per object, all with the same number of points; null = no user points (one padding point). */
  points: (PointPrompt | null)[];
  /** Previous low-res logits per object (a correction on a tracked frame), or null. */
  maskInputs: (Float32Array | null)[];
  multimask: boolean;
  /** Previous logits are clamped to +-32 like the reference; a mask prompt's encoding is not. */
  clampMaskInputs?: boolean;
}

export interface HeadsResult {
  outputs: FrameOutput[];
  /** The chosen logits before hole filling, [B, L*L]: what the memory encoder sees when tracking. */
  chosenLogits: Float32Array;
  objectScores: Float32Array;
}

export class SamHeads {
  private readonly holes = new HoleFiller();

  constructor(private readonly model: SamModel) {}

  private get maskArea(): number {
    const l = this.model.manifest.lowResMaskSize;
    return l * l;
  }

  useMultimask(isInitCondFrame: boolean, numPoints: number): boolean {
    const t = this.model.manifest.tracking;
    return (
      t.multimaskOutputInSam &&
      (isInitCondFrame || t.multimaskOutputForTracking) &&
      t.multimaskMinPtNum <= numPoints &&
      numPoints <= t.multimaskMaxPtNum
    );
  }

  async decode(request: HeadsRequest, image: ImageFeatures): Promise<HeadsResult> {
    const m = this.model.manifest;
    const t = m.tracking;
    const b = request.points.length;
    const area = this.maskArea;
    const numPoints = request.points[0]?.labels.length ?? 1;
    const coords = new Float32Array(b * numPoints * 2);
    const labels = new Float32Array(b * numPoints).fill(-1);
    request.points.forEach((p, i) => {
      if (!p) return;
      if (p.labels.length !== numPoints)
        throw new Error('objects decoded together must have the same number of points');
      coords.set(p.coords, i * numPoints * 2);
      labels.set(p.labels, i * numPoints);
    });
    const maskInput = new Float32Array(b * area);
    const hasMask = new Float32Array(b);
    const clamp = request.clampMaskInputs ?? true;
    request.maskInputs.forEach((prev, i) => {
      if (!prev) return;
      hasMask[i] = 1;
      if (!clamp) {
        maskInput.set(prev.subarray(0, area), i * area);
        return;
      }
      for (let j = 0; j < area; j++) {
        const v = prev[j]!;
        maskInput[i * area + j] =
          v > PREV_LOGIT_CLAMP ? PREV_LOGIT_CLAMP : v < -PREV_LOGIT_CLAMP ? -PREV_LOGIT_CLAMP : v;
      }
    });
    const out = await this.model.decodeMasks(request.features, image, b, coords, labels, numPoints, maskInput, hasMask);
    const chosenLogits = new Float32Array(b * area);
    const outputs: FrameOutput[] = [];
    const c = m.hiddenDim;
    const { noObjPtr } = this.model.constants;
    for (let i = 0; i < b; i++) {
      const choice = chooseMask(out.masks, out.iou, i, area, {
        multimask: request.multimask,
        useMultimaskTokenForObjPtr: t.useMultimaskTokenForObjPtr,
        dynamicMultimaskViaStability: t.dynamicMultimaskViaStability,
        stabilityDelta: t.dynamicMultimaskStabilityDelta,
        stabilityThresh: t.dynamicMultimaskStabilityThresh,
      });
      const score = out.objectScores[i]!;
      const present = !t.predObjScores || score > 0;
      const logits = chosenLogits.subarray(i * area, (i + 1) * area);
      if (present)
        logits.set(out.masks.subarray((i * 4 + choice.maskToken) * area, (i * 4 + choice.maskToken + 1) * area));
      else logits.fill(NO_OBJ_SCORE);
      const ptr = out.objPtrs.slice((i * 4 + choice.ptrToken) * c, (i * 4 + choice.ptrToken + 1) * c);
      if (t.predObjScores)
        blendNoObjectPointer(
          ptr,
          noObjPtr,
          t.softNoObjPtr ? 1 / (1 + Math.exp(-score)) : present ? 1 : 0,
          t.fixedNoObjPtr,
        );
      outputs.push({
        memory: null,
        predMasks: this.fillHoles(logits),
        objPtr: ptr,
        objectScore: score,
        iou: choice.iou,
      });
    }
    return { outputs, chosenLogits, objectScores: out.objectScores };
  }

  /** A copy with small background holes filled, as stored and shown. */
  fillHoles(logits: Float32Array): Float32Array {
    const filled = logits.slice();
    this.holes.fill(filled, 0, this.model.manifest.lowResMaskSize, this.model.manifest.tracking.fillHoleArea);
    return filled;
  }

  /** Encodes memories for B objects of one frame; returns bfloat16 token-major memories and the pos enc. */
  async encodeMemories(
    image: ImageFeatures,
    logits: Float32Array,
    objectScores: Float32Array,
    binarize: boolean,
  ): Promise<{ memories: Uint16Array[]; posEnc: Float32Array }> {
    const m = this.model.manifest;
    const b = objectScores.length;
    const flags = new Float32Array(b).fill(binarize ? 1 : 0);
    const { memoryFeatures, memoryPosEnc } = await this.model.encodeMemory(image, b, logits, objectScores, flags);
    const perObject = m.memoryDim * m.memoryFeatureSize[0] * m.memoryFeatureSize[1];
    const memories: Uint16Array[] = [];
    for (let i = 0; i < b; i++)
      memories.push(bfloat16TokenMajor(memoryFeatures.subarray(i * perObject, (i + 1) * perObject), m.memoryDim));
    return { memories, posEnc: memoryPosEnc.subarray(0, perObject) };
  }
}

/** fixed_no_obj_ptr: ptr = lambda * ptr + (1 - lambda) * no_obj_ptr, in float32 steps. */
function blendNoObjectPointer(ptr: Float32Array, noObjPtr: Float32Array, lambda: number, fixed: boolean): void {
  const l = Math.fround(lambda);
  const rest = Math.fround(1 - l);
  for (let k = 0; k < ptr.length; k++) {
    const scaled = fixed ? Math.fround(l * ptr[k]!) : ptr[k]!;
    ptr[k] = scaled + Math.fround(rest * noObjPtr[k]!);
  }
}
