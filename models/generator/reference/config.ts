/**
 * Sizes, channel layouts and hand-set constants of the reference model (a classical colour/texture
 * tracker expressed as SAM 2's modules). Every graph reads its numbers from here.
 */
export const REF = {
  name: 'masklet-reference',
  imageSize: 512,
  featureSize: 32,
  memorySize: 16,
  hiddenDim: 32,
  memoryDim: 16,
  highRes: [
    { channels: 8, stride: 4 },
    { channels: 8, stride: 8 },
  ],
  lowResMaskSize: 128,
  numMaskmem: 7,
  maxObjPtrsInEncoder: 16,
  mean: [0.485, 0.456, 0.406] as [number, number, number],
  std: [0.229, 0.224, 0.225] as [number, number, number],
} as const;

/** Appearance channels shared by every feature map: opponent colour L, a, b and local contrast t. */
export const APPEARANCE = 4;

/**
 * RGB (in [0, 1]) -> opponent colour. L = mean, a = R - G, b = (R + G) / 2 - B; the chroma axes are
 * halved so that a hue change and a luminance change of the same visual size weigh alike.
 */
export const OPPONENT: readonly (readonly [number, number, number])[] = [
  [1 / 3, 1 / 3, 1 / 3],
  [0.5, -0.5, 0],
  [0.25, 0.25, -0.5],
];

/** Channels of `visionFeatures` / `conditionedFeatures` / decoder `features` (private to these graphs). */
export const FEAT = {
  appearance: 0, // 0..3: L, a, b, t at stride 16
  pFg: 4, // propagated foreground probability (memory attention head A)
  fgMean: 5, // 5..8: local foreground appearance mean (head B, blended with the pointers' model)
  bgMean: 9, // 9..12: local background appearance mean
  fgWeight: 13, // local foreground evidence mass
  bgWeight: 14, // local background evidence mass
  globalFg: 15, // 15..18: pointers' foreground mean
  globalBg: 19, // 19..22: pointers' background mean
  globalWeight: 23, // pointers' total recency weight
  noMemory: 31, // 1 where noMemEmbed was added (first conditioning frame): no propagated evidence
} as const;

/** Channels of a memory token (Cm = 16): key = appearance, value = the mask bound to it. */
export const MEM = {
  key: 0, // 0..3: appearance pooled to the 16 x 16 grid
  fgFraction: 4, // m: foreground fraction of the cell
  fgMass: 5, // sum of m^2 over the cell's stride-16 sub-cells (purity-weighted foreground mass)
  fgSum: 6, // 6..9: fgMass x foreground appearance mean
  bgMass: 10,
  bgSum: 11, // 11..14
} as const;

/** Channels of `memoryPosEnc` / `maskmemTposEnc` (Cm = 16). */
export const MEMPOS = { x: 0, y: 1, temporalBias: 2, recency: 3 } as const;

/** Channels of an object pointer (C = 32); `noObjPtr` is all zeros (presence 0). */
export const PTR = { presence: 0, fgMean: 1, bgMean: 5, centroid: 9, area: 11, used: 12 } as const;

/** Memory attention. */
export const ATTN = {
  /** Head A (colour + position, stride-16 queries -> p_fg): per-channel appearance weight / sigma. */
  colourScale: [1 / 0.12, 1 / 0.12, 1 / 0.12, 1 / 0.12],
  positionScaleA: 1 / 0.07,
  /** Head B (position only, stride-32 queries -> local colour models). */
  positionScaleB: 1 / 0.1,
  /** Added to masses before dividing sums by them. */
  massEpsilon: 1e-6,
  /** Added before the log-mass bias: a sub-token with no mass gets log-weight ln(1e-10) = -23. */
  logMassFloor: 1e-10,
  /**
   * Log-prior of head A's two position-free pointer tokens (fg / bg appearance of the object), per
   * memory frame, minus the latest memory's foreground mass (weighted by exp(sharpness x bias)).
   */
  globalTokenPrior: 0,
  recencySharpness: 20,
  /** Weight of the pointers' global colour model in the local means (prior mass). */
  globalPriorMass: 0.03,
} as const;

/**
 * Temporal log-weights of memory frames: row r of maskmemTposEnc is used by the recent frame r + 1
 * steps back (r = 0..5) and row 6 by conditioning frames.
 */
export const TEMPORAL_LOG_WEIGHT = [0, -0.35, -0.7, -1.05, -1.4, -1.75, 1.2] as const;

/**
 * Recency key of memory frames (same rows as TEMPORAL_LOG_WEIGHT): orders frames by age only, so the
 * "latest memory" read by re-detection is the most recent frame whatever the conditioning weight is
 * (conditioning frames rank last; they count only when they are all there is).
 */
export const RECENCY_KEY = [0, -0.35, -0.7, -1.05, -1.4, -1.75, -2.1] as const;

/** objPtrTposProj: recency log-weight = beta * (cos(t / 15) - 1), read from the lowest frequency. */
export const POINTER_RECENCY_BETA = 8;

/** Mask decoder. */
export const DEC = {
  /** Click seed Gaussian (input-square pixels): min(1, 2 G) is foreground around the click. */
  clickSigma: 6,
  /** Gaussian that samples the click's colour (input-square pixels). */
  colourSigma: 3,
  /** Appearance similarity exp(-|h - c|^2 / (2 sigma^2)) of each channel. */
  similarityScale: [1 / 0.09, 1 / 0.09, 1 / 0.09, 1 / 0.3],
  /** Per-step decay of region growing (makes nearer clicks win ties). */
  growthDecay: 0.985,
  /** Growth iterations at 64 x 64 for tokens 1, 2, 3 (token 0 uses the largest). */
  growthSteps: [6, 14, 30],
  /** Logit of a won prompt claim, the prompt-only base, and how fast a claim saturates with its margin. */
  promptGain: 24,
  promptBase: -12,
  claimSharpness: 10,
  /** Tracking: logit = gain * (logit(p_fg) + 4 p (1 - p) clip(llr)) + token offset. */
  trackGain: 1.5,
  /** Per-channel 1 / sigma of the tracking fg / bg appearance classifier. */
  classifierScale: [1 / 0.09, 1 / 0.09, 1 / 0.09, 1 / 0.12],
  llrClip: 6,
  trackOffsets: [0, 0, 2, -2],
  /** Tie-break of the IoU heuristic among tokens. */
  iouPrior: [1, 1, 0.995, 0.99],
  /** Box: core (fg model) shrink and ring (bg model) growth, as fractions of the box size. */
  boxCore: 0.25,
  boxRing: 0.25,
  /** Object score = objScoreGain * ln((area + 0.1) / objScoreMinArea), area in 128^2 pixels. */
  objScoreGain: 2,
  objScoreMinArea: 4,
} as const;

/** noMemEmbed: marks "no propagated evidence" in the decoder's feature layout. */
export function noMemEmbed(): Float32Array {
  const v = new Float32Array(REF.hiddenDim);
  v[FEAT.noMemory] = 1;
  return v;
}
