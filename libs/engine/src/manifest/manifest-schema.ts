/**
 * The manifest that describes a SAM 2-family model split into ONNX graphs (see models/README.md).
 * Parsing is strict so that a typo in a real export's manifest fails at load, not mid-video.
 */
import { z } from 'zod';

export const ROLE_IO = {
  imageEncoder: {
    inputs: ['image'],
    outputs: ['visionFeatures', 'visionPosEnc', 'highRes0', 'highRes1'],
  },
  memoryAttention: {
    inputs: ['currFeatures', 'currPosEnc', 'memory', 'memoryPosEnc', 'objPtrs', 'objPtrPosEnc'],
    outputs: ['conditionedFeatures'],
  },
  maskDecoder: {
    inputs: ['features', 'highRes0', 'highRes1', 'pointCoords', 'pointLabels', 'maskInput', 'hasMaskInput'],
    outputs: ['masks', 'iouPredictions', 'objPtrs', 'objectScoreLogits'],
  },
  memoryEncoder: {
    inputs: ['visionFeatures', 'maskLogits', 'objectScoreLogits', 'binarize'],
    outputs: ['memoryFeatures', 'memoryPosEnc'],
  },
  maskPrompt: {
    inputs: ['mask'],
    outputs: ['lowResLogits', 'maskForPointer'],
  },
  objPtrTposProj: {
    inputs: ['sinePe'],
    outputs: ['posEnc'],
  },
  constants: {
    inputs: [],
    outputs: ['maskmemTposEnc', 'noMemEmbed', 'noObjPtr'],
  },
} as const;

export type RoleName = keyof typeof ROLE_IO;
export const REQUIRED_ROLES: readonly RoleName[] = [
  'imageEncoder',
  'memoryAttention',
  'maskDecoder',
  'memoryEncoder',
  'maskPrompt',
  'constants',
];

const positiveInt = z.number().int().positive();
const gridSize = z.tuple([positiveInt, positiveInt]);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');

const roleSchema = z
  .object({
    file: z.string().min(1),
    sha256,
    inputs: z.record(z.string(), z.string()).default({}),
    outputs: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/** Defaults are those of SAM2VideoPredictor built for SAM 2.1 (build_sam2_video_predictor). */
export const trackingSchema = z
  .object({
    multimaskOutputInSam: z.boolean().default(true),
    multimaskMinPtNum: z.number().int().min(0).default(0),
    multimaskMaxPtNum: z.number().int().min(0).default(1),
    multimaskOutputForTracking: z.boolean().default(true),
    useMultimaskTokenForObjPtr: z.boolean().default(true),
    dynamicMultimaskViaStability: z.boolean().default(true),
    dynamicMultimaskStabilityDelta: z.number().default(0.05),
    dynamicMultimaskStabilityThresh: z.number().default(0.98),
    predObjScores: z.boolean().default(true),
    fixedNoObjPtr: z.boolean().default(true),
    softNoObjPtr: z.boolean().default(false),
    useObjPtrsInEncoder: z.boolean().default(true),
    addTposEncToObjPtrs: z.boolean().default(true),
    projTposEncInObjPtrs: z.boolean().default(true),
    useSignedTposEncToObjPtrs: z.boolean().default(true),
    onlyObjPtrsInThePastForEval: z.boolean().default(true),
    useMaskInputAsOutputWithoutSam: z.boolean().default(true),
    binarizeMaskFromPtsForMemEnc: z.boolean().default(true),
    fillHoleArea: z.number().int().min(0).default(8),
    memoryTemporalStrideForEval: positiveInt.default(1),
    maxCondFramesInAttn: z.number().int().default(-1),
    addAllFramesToCorrectAsCond: z.boolean().default(false),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal('masklet.sam2-onnx/1'),
    name: z.string().min(1),
    family: z.enum(['sam2', 'sam2.1', 'edgetam', 'efficienttam', 'reference', 'shape-test']),
    description: z.string().optional(),
    imageSize: positiveInt,
    featureSize: gridSize,
    memoryFeatureSize: gridSize,
    hiddenDim: positiveInt,
    memoryDim: positiveInt,
    highRes: z.tuple([
      z.object({ channels: positiveInt, stride: positiveInt }).strict(),
      z.object({ channels: positiveInt, stride: positiveInt }).strict(),
    ]),
    lowResMaskSize: positiveInt,
    normalization: z
      .object({
        mean: z.tuple([z.number(), z.number(), z.number()]),
        std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
      })
      .strict(),
    numMaskmem: positiveInt,
    maxObjPtrsInEncoder: positiveInt,
    /**
     * Image queries per attention chunk inside the memoryAttention graph: the graph attends that
     * many queries at a time, so it holds B x chunk x Nm scores, never B x H*W x Nm. Absent: the
     * graph attends all H*W queries at once. The engine sizes its object batches by it.
     */
    memoryAttentionQueryChunk: positiveInt.optional(),
    tracking: trackingSchema.default(() => trackingSchema.parse({})),
    roles: z
      .object({
        imageEncoder: roleSchema,
        memoryAttention: roleSchema,
        maskDecoder: roleSchema,
        memoryEncoder: roleSchema,
        maskPrompt: roleSchema,
        objPtrTposProj: roleSchema.optional(),
        constants: roleSchema,
      })
      .strict(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.hiddenDim % m.memoryDim !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['memoryDim'],
        message: `hiddenDim ${m.hiddenDim} must be a multiple of memoryDim ${m.memoryDim}`,
      });
    }
    const [h, w] = m.featureSize;
    if (m.lowResMaskSize !== 4 * h || h !== w) {
      ctx.addIssue({
        code: 'custom',
        path: ['lowResMaskSize'],
        message: `lowResMaskSize must be 4 x featureSize (square grid); got ${m.lowResMaskSize} for ${h}x${w}`,
      });
    }
    if (m.imageSize % h !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['featureSize'],
        message: `imageSize ${m.imageSize} is not a multiple of featureSize ${h}`,
      });
    }
    if (m.tracking.projTposEncInObjPtrs && m.tracking.addTposEncToObjPtrs && !m.roles.objPtrTposProj) {
      ctx.addIssue({
        code: 'custom',
        path: ['roles', 'objPtrTposProj'],
        message: 'projTposEncInObjPtrs is set but the objPtrTposProj role is missing',
      });
    }
  });

export type ModelManifest = z.infer<typeof manifestSchema>;
export type TrackingConfig = z.infer<typeof trackingSchema>;
export type RoleSpec = z.infer<typeof roleSchema>;
