/** The reference model: every role's graph and the manifest fields that describe it. */
import type { GraphBuilder } from '@masklet/onnx-builder';
import { REF } from './config';
import { buildImageEncoder } from './image-encoder';
import { buildMaskDecoder } from './mask-decoder';
import { buildMemoryAttention } from './memory-attention';
import { buildMemoryEncoder } from './memory-encoder';
import { buildConstants, buildMaskPrompt, buildObjPtrTposProj } from './small-roles';
import type { ModelSpec } from '../write-model';

export function referenceModel(): ModelSpec {
  const roles: Record<string, () => GraphBuilder> = {
    imageEncoder: buildImageEncoder,
    memoryAttention: buildMemoryAttention,
    maskDecoder: buildMaskDecoder,
    memoryEncoder: buildMemoryEncoder,
    maskPrompt: buildMaskPrompt,
    objPtrTposProj: buildObjPtrTposProj,
    constants: buildConstants,
  };
  return {
    manifest: {
      format: 'masklet.sam2-onnx/1',
      name: REF.name,
      family: 'reference',
      description:
        'Deterministic non-learned reference model: colour-histogram tracker (fg / ring-bg histograms, motion-compensated spatial prior, local colour models), region growing from clicks.',
      imageSize: REF.imageSize,
      featureSize: [REF.featureSize, REF.featureSize],
      memoryFeatureSize: [REF.memorySize, REF.memorySize],
      hiddenDim: REF.hiddenDim,
      memoryDim: REF.memoryDim,
      highRes: REF.highRes.map((h) => ({ ...h })),
      lowResMaskSize: REF.lowResMaskSize,
      normalization: { mean: [...REF.mean], std: [...REF.std] },
      numMaskmem: REF.numMaskmem,
      maxObjPtrsInEncoder: REF.maxObjPtrsInEncoder,
      tracking: {},
    },
    roles,
  };
}
