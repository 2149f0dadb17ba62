/**
 * Sizes, channel layouts and hand-set constants of the reference model (a classical colour/texture
 * tracker expressed as SAM 2's modules). Every graph reads its numbers from here.
 */
/**
 * Colour bins: soft (trilinear) assignment of each stride-4 pixel to a nL x na x nb grid over
 * opponent colour. Luminance bins are uniform over sqrt(L) (finer in the dark); the chroma axes are
 * taken relative to luminance, c / (L + chromaDark), then compressed, c' = c / (|c| + chromaKnee),
 * so that weakly coloured pixels get finer bins than saturated ones. Bin index = (iL * na + ia) * nb + ib.
 */
export const BINS = {
  nL: 6,
  na: 4,
  nb: 4,
  chromaDark: 0.15,
  chromaKnee: 0.15,
} as const;
export const K = BINS.nL * BINS.na * BINS.nb;

export const REF = {
  name: 'masklet-reference',
  imageSize: 512,
  featureSize: 32,
  memorySize: 16,
  hiddenDim: 4 * K + 32,
  memoryDim: 32,
  highRes: [
    { channels: 4 + K + 12 + 8, stride: 4 },
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
 * Channels of `highRes0` (stride 4): the appearance, the K soft colour bins, the colour at stride 2
 * packed 2 x 2 (channel = (dy * 2 + dx) * 3 + c: where inside its cell a boundary lies), then each
 * cell's appearance similarity to its 8 neighbours (similar-neighbours.ts).
 */
export const HIGHRES0 = {
  appearance: 0,
  bins: APPEARANCE,
  subColour: APPEARANCE + K,
  similarity: APPEARANCE + K + 12,
} as const;

/**
 * RGB (in [0, 1]) -> opponent colour. L = mean, a = R - G, b = (R + G) / 2 - B; the chroma axes are
 * halved so that a hue change and a luminance change of the same visual size weigh alike.
 */
export const OPPONENT: readonly (readonly [number, number, number])[] = [
  [1 / 3, 1 / 3, 1 / 3],
  [0.5, -0.5, 0],
  [0.25, 0.25, -0.5],
];

/**
 * Channels of `visionFeatures` (C = 4K + 32): channels 0..4K-1 hold the stride-8 bin map packed
 * 2 x 2 into the 32 x 32 grid (DepthToSpace DCR order: channel = (dy * 2 + dx) * K + k), then the
 * opponent colour (L, a, b) at stride 16 (motion matching); the last channel is the no-memory flag
 * of `noMemEmbed`.
 * `conditionedFeatures` / decoder `features` reuse the same C channels with their own layout (FEAT).
 */
export const VISION = { bins: 0, appearance: 4 * K, noMemory: 4 * K + 31 } as const;

/** Channels of `conditionedFeatures` (the tracking evidence for the decoder). */
export const FEAT = {
  prior: 0, // 0..3: spatial prior D in [0, 1] at 64 x 64, packed 2 x 2 (DCR)
  llr: 4, // the K per-bin log-likelihood ratios, row-major in the first K cells of the channel
  hasModel: 5, // 1 where some memory frame holds the object (else nothing is tracked)
  local: 6, // 6..9: the local-colour-model score at 64 x 64, packed 2 x 2 (DCR)
  explained: 10, // 1 where the motion-compensated latest frame predicts the current colour, at 32 x 32
  noMemory: VISION.noMemory, // 1 where noMemEmbed was added (first conditioning frame)
} as const;

/**
 * Channels of a memory token (Cm = 32): the mask at 64 x 64 (stride 8) packed 4 x 4 into the
 * 16 x 16 memory grid (channel = dy * 4 + dx), then the frame's histograms, each K values
 * row-major in the first K cells of one channel.
 */
export const MEM = {
  mask: 0, // 0..15
  fgHist: 16, // sum over the mask of the bin assignments
  bgHist: 17, // the same over the ring around the mask (local background)
  appearance: 18, // 18..29: the frame's (L, a, b) at 32 x 32, packed 2 x 2 (channel = (dy * 2 + dx) * 3 + c)
} as const;

/** Channels of `memoryPosEnc` / `maskmemTposEnc` (Cm = 32). */
export const MEMPOS = { x: 0, y: 1, temporalBias: 2, recency: 3 } as const;

/** Channels of an object pointer (C); `noObjPtr` is all zeros (presence 0). */
export const PTR = { presence: 0, centroid: 1, area: 3, used: 4 } as const;

/** Memory attention: histogram model and spatial prior. */
export const ATTN = {
  /** Memory encoder: a soft mask becomes clip((p - 0.5) * maskSharpness + 0.5, 0, 1). */
  maskSharpness: 4,
  /** A frame's histogram counts fully once its mass (stride-8 pixels) is well above this. */
  presenceMass: 0.5,
  /** Probability floor of the fg / bg bin distributions in the log-ratio. */
  histEpsilon: 0.002,
  llrClip: 5,
  /** Softmax sharpness over the recency key (the latest memory frame gives the spatial prior). */
  recencySharpness: 20,
  /** Max-pool kernels (64 x 64 grid) of the dilations / erosions averaged into the spatial prior D. */
  priorKernels: [3, 5, 9, 13],
  /** Beyond a dilation by farKernel (64 x 64 grid) D drops further by farWeight (no jumps to look-alikes far away). */
  farKernel: 17,
  farWeight: 2,
  /** Ring of the background histogram: max-pool kernel of the dilation (64 x 64 grid). */
  ringKernel: 9,
  /** Foreground histogram: the mask eroded by this max-pool kernel (1: none); ring starts past a dilation by ringGap. */
  fgErode: 1,
  /** Prompted (binarised) frames: a pixel counts as object colour by sigmoid(logit - colourConfidence). */
  colourConfidence: 4 as number,
  ringGap: 3,
  /** Motion: shifts of the latest mask searched, +-motionRange cells of the 32 x 32 grid. */
  motionRange: 4,
  /**
   * 1: the global shift is refined between whole cells (the vertex of the parabola through each
   * shift's cost and its neighbours) and the latest frame and mask are moved by it bilinearly before
   * per-cell block matching; 0: whole-cell shifts mixed by their weights only.
   */
  subCellMotion: 0 as number,
  /** Matching cost = masked mean squared (L, a, b) difference + motionPenalty * |shift|^2 (cells). */
  motionPenalty: 1e-4,
  /** Softmax temperature over the matching costs (the shift is their soft arg-min). */
  motionTemperature: 5e-4,
  /** Local colour models: interior / exterior of the prior used, and pseudo-count of the global model. */
  localFgFrom: 0.3,
  localBgFrom: 0.3,
  localPseudoCount: 0.5,
  /** Interior pixels are fg samples with weight sigmoid(global llr + localFgAgreement). */
  localFgAgreement: 0,
  /** While the object is lost, a bin's background share is max(ring, (1 - w) ring + w frame), w = this (0: the ring's). */
  lostFrameBackground: 0.5 as number,
  /** Squared (L, a, b) error at which the motion-compensated latest frame no longer explains a cell (e^-1). */
  explainedSigma2: 0.003 as number,
  /** D where the latest memory frame holds no object (re-detection anywhere). */
  lostPrior: -0.15,
} as const;

/** Local motion (per cell of the 32 x 32 grid, over the +-motionRange shifts): block-matching window (cells), softmax temperature, pull towards the global shift (per cell^2). */
export const LOCAL_MOTION = {
  window: 3,
  temperature: 5e-4,
  globalPull: 2e-4,
} as const;

/**
 * Temporal log-weights of memory frames in the histogram model: row r of maskmemTposEnc is used by
 * the recent frame r + 1 steps back (r = 0..5) and row 6 by conditioning frames (the anchor).
 */
export const TEMPORAL_LOG_WEIGHT = [0, -0.2, -0.4, -0.6, -0.8, -1.0, 3] as const;

/**
 * Recency key of memory frames (same rows as TEMPORAL_LOG_WEIGHT): orders frames by age only, so the
 * "latest memory" read by the spatial prior is the most recent frame (conditioning frames rank last;
 * they count only when they are all there is).
 */
export const RECENCY_KEY = [0, -0.35, -0.7, -1.05, -1.4, -1.75, -2.1] as const;

/** objPtrTposProj: recency log-weight = beta * (cos(t / 15) - 1), read from the lowest frequency. */
export const POINTER_RECENCY_BETA = 8;

/**
 * Clicks: the colour model grown from them (decoder-click-model.ts). Foreground starts as the region
 * of the click's own colour, background as everything beyond farSigma of the clicks (input-square
 * pixels; negative clicks count as background within it); each round grows `steps` cells at
 * 64 x 64 through passable pixels, then re-estimates foreground = region, background = outside its
 * dilation by ringGap cells. The model is kept when its region has converged after `iterations`
 * rounds (IoU with one more round >= convergedIou), else the first round's.
 */
export const CLICK_MODEL = {
  farSigma: 32,
  iterations: 5,
  steps: 60,
  ringGap: 2,
  sharpness: 2,
  convergedIou: 0.95,
  histEpsilon: 0.002,
  /** IoU factor of tokens (chosen, chosen, first round, last round). */
  tokenPrior: [1, 1, 0.8, 0.8],
} as const;

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
  /** Width (L-grid pixels) of a clicked region's rim and how far its logits drop (to promptGain + promptBase - rimDrop). */
  clickRim: 4,
  rimDrop: 10,
  /** Tracking: logit = gain * (smoothed llr + prior(D) + trackBias) + token offset, prior = D * (D > 0 ? priorInside : priorOutside). */
  trackGain: 1.5,
  priorInside: 5,
  /** Added to priorInside where the motion explains the current colour (FEAT.explained). */
  priorInsideExplained: 7 as number,
  priorOutside: 12,
  trackBias: 0,
  /** Weights of the global (stride 4) and local (stride 8) colour scores. */
  globalWeight: 1.5,
  localWeight: 1.5,
  /** 3 x 3 smoothing passes over the per-cell llr (stride 4). */
  smoothPasses: 1,
  /**
   * 1: each pass averages a cell with those of its 3 x 3 neighbours whose appearance is similar
   * (similarityScale, as the click's region growing measures it); 0: with all nine (a box filter).
   */
  smoothAmongSimilar: 1 as number,
  /**
   * Sub-cell boundaries: a stride-2 pixel's colour log-ratio counts, relative to its cell's, with the
   * weight colour has in the logits (global + local terms) times this; 0 turns the refinement off.
   */
  subCellDetail: 1 as number,
  trackOffsets: [0, 0, 2, -2],
  /** Tracking: IoU factor of each token (the offset tokens are chosen only when clearly more stable). */
  trackIouPrior: [1, 1, 0.7, 0.7],
  /** Tie-break of the IoU heuristic among tokens. */
  iouPrior: [1, 1, 0.995, 0.99],
  /** Box: core (fg model) shrink and ring (bg model) growth, as fractions of the box size. */
  boxCore: 0.25,
  boxRing: 0.25,
  /** Object score = objScoreGain * ln((area + 0.1) / objScoreMinArea), area in 128^2 pixels. */
  objScoreGain: 2,
  objScoreMinArea: 4,
  /** Sharpness of the soft area count of the object score (logits near 0 hardly count). */
  objScoreSharpness: 16,
} as const;

/** noMemEmbed: marks "no propagated evidence" in the decoder's feature layout. */
export function noMemEmbed(): Float32Array {
  const v = new Float32Array(REF.hiddenDim);
  v[VISION.noMemory] = 1;
  return v;
}
