/**
 * The two ways a mask prompt becomes a frame output.
 *
 * SAM2Base._use_mask_as_output: the prompt mask itself becomes the output (logits +-10, resized
 * to L x L by the maskPrompt graph), the pointer comes from the decoder run on the raw features
 * with the downsampled mask as its dense prompt, and presence is the mask's, not the decoder's.
 */
import { ImageFeatures, SamModel } from '../runtime/sam-model';
import { FrameOutput } from '../state/frame-output';
import { ObjectTrack } from '../state/object-track';
import { MemoryConditioning } from './memory-conditioning';
import { SquareMask, squareMaskToLowRes } from './mask-prompt';
import { SamHeads } from './sam-heads';

export async function maskAsOutput(
  model: SamModel,
  heads: SamHeads,
  square: SquareMask,
  image: ImageFeatures,
): Promise<FrameOutput> {
  const { lowResLogits, maskForPointer } = await model.encodeMaskPrompt(square.values);
  const { outputs } = await heads.decode(
    {
      features: image.visionFeatures.data as Float32Array,
      points: [null],
      maskInputs: [maskForPointer],
      multimask: false,
      clampMaskInputs: false,
    },
    image,
  );
  // The decoder step already blended the pointer by its own object score; the mask's presence blends it again.
  const ptr = outputs[0]!.objPtr;
  const t = model.manifest.tracking;
  if (t.predObjScores) {
    const lambda = square.present ? 1 : 0;
    const { noObjPtr } = model.constants;
    for (let k = 0; k < ptr.length; k++) {
      const kept = t.fixedNoObjPtr ? Math.fround(lambda * ptr[k]!) : ptr[k]!;
      ptr[k] = kept + Math.fround((1 - lambda) * noObjPtr[k]!);
    }
  }
  // The annotator drew this mask: it is the answer, not an estimate (iou 1).
  return {
    memory: null,
    predMasks: heads.fillHoles(lowResLogits),
    objPtr: ptr,
    objectScore: square.present ? 10 : -10,
    iou: 1,
  };
}

export interface DecoderDeps {
  model: SamModel;
  heads: SamHeads;
  conditioning: MemoryConditioning;
}

/**
 * Without useMaskInputAsOutputWithoutSam the mask is a dense prompt of the decoder on
 * memory-conditioned features (SAM2Base._track_step), resized to L x L with the same antialiased
 * bilinear; the output is an ordinary decoder output.
 */
export async function maskThroughDecoder(
  deps: DecoderDeps,
  track: ObjectTrack,
  frame: number,
  isInit: boolean,
  reverse: boolean,
  square: SquareMask,
  image: ImageFeatures,
): Promise<FrameOutput> {
  const m = deps.model.manifest;
  const conditioned = isInit
    ? deps.conditioning.withoutMemory(image, 1)
    : await deps.conditioning.condition([track], frame, reverse, image);
  const maskInput = squareMaskToLowRes(square.values, m.imageSize, m.lowResMaskSize);
  const { outputs } = await deps.heads.decode(
    {
      features: conditioned,
      points: [null],
      maskInputs: [maskInput],
      multimask: deps.heads.useMultimask(isInit, 0),
      clampMaskInputs: false,
    },
    image,
  );
  return outputs[0]!;
}
