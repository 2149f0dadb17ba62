/** SAM 2.1-tiny's tensor shapes (the contract's left column) and the random graphs' structure. */
export const TINY = {
  name: 'sam2.1-tiny-shaped',
  imageSize: 1024,
  featureSize: 64,
  memorySize: 64,
  hiddenDim: 256,
  memoryDim: 64,
  highRes: [
    { channels: 32, stride: 4 },
    { channels: 64, stride: 8 },
  ],
  lowResMaskSize: 256,
  numMaskmem: 7,
  maxObjPtrsInEncoder: 16,
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
  /** Trunk: channels and blocks per stage (strides 4, 8, 16). */
  stages: [
    { channels: 96, blocks: 1 },
    { channels: 192, blocks: 1 },
    { channels: 384, blocks: 2 },
  ],
  memoryAttentionLayers: 2,
  memoryAttentionMlp: 2048,
  /** Queries per attention chunk in memoryAttention (written to the manifest). */
  memoryAttentionQueryChunk: 256,
  decoderDepth: 2,
  decoderHeads: 8,
  decoderMlp: 2048,
  /** Cross attention between tokens and image runs at hiddenDim / 2 (attention_downsample_rate 2). */
  decoderCrossDim: 128,
  fuserBlocks: 2,
  fuserExpansion: 4,
  seed: 2024,
} as const;
