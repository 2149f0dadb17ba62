/** The SAM 2.1-tiny-shaped random-weight model: every role's graph and its manifest fields. */
import type { GraphBuilder } from '@masklet/onnx-builder';
import type { ModelSpec } from '../write-model';
import { TINY } from './config';
import { buildImageEncoder } from './image-encoder';
import { buildMaskDecoder } from './mask-decoder';
import { buildMemoryAttention } from './memory-attention';
import { buildMemoryEncoder } from './memory-encoder';
import { buildConstants, buildMaskPrompt, buildObjPtrTposProj } from './small-roles';

export function shapeTestModel(): ModelSpec {
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
      name: TINY.name,
      family: 'shape-test',
      description:
        'Seeded random weights with exactly SAM 2.1-tiny tensor shapes and comparable compute; masks mean nothing.',
      imageSize: TINY.imageSize,
      featureSize: [TINY.featureSize, TINY.featureSize],
      memoryFeatureSize: [TINY.memorySize, TINY.memorySize],
      hiddenDim: TINY.hiddenDim,
      memoryDim: TINY.memoryDim,
      highRes: TINY.highRes.map((h) => ({ ...h })),
      lowResMaskSize: TINY.lowResMaskSize,
      normalization: { mean: [...TINY.mean], std: [...TINY.std] },
      numMaskmem: TINY.numMaskmem,
      maxObjPtrsInEncoder: TINY.maxObjPtrsInEncoder,
      memoryAttentionQueryChunk: TINY.memoryAttentionQueryChunk,
      tracking: {},
    },
    roles,
  };
}
