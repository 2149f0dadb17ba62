/**
 * Which of the decoder's four mask tokens becomes the frame's mask, as SAM 2 decides it:
 * with multimask output the best predicted IoU among tokens 1..3; otherwise token 0, unless its
 * logits are unstable (area above +delta vs above -delta), in which case the best multimask token.
 * The object pointer comes from the chosen multimask token, or token 0 in single-mask mode.
 */
export interface SelectionConfig {
  multimask: boolean;
  useMultimaskTokenForObjPtr: boolean;
  dynamicMultimaskViaStability: boolean;
  stabilityDelta: number;
  stabilityThresh: number;
}

export interface MaskChoice {
  maskToken: number;
  ptrToken: number;
  iou: number;
}

function bestMultimaskToken(iou: Float32Array, base: number): number {
  let best = 1;
  for (let t = 2; t <= 3; t++) if (iou[base + t]! > iou[base + best]!) best = t;
  return best;
}

export function stabilityScore(masks: Float32Array, offset: number, area: number, delta: number): number {
  let inner = 0;
  let outer = 0;
  for (let i = offset, end = offset + area; i < end; i++) {
    const v = masks[i]!;
    if (v > delta) inner++;
    if (v > -delta) outer++;
  }
  return outer > 0 ? inner / outer : 1;
}

/** `b` is the object's index in the batch; masks is [B, 4, L, L], iou [B, 4]. */
export function chooseMask(
  masks: Float32Array,
  iou: Float32Array,
  b: number,
  maskArea: number,
  cfg: SelectionConfig,
): MaskChoice {
  const iouBase = b * 4;
  if (cfg.multimask) {
    const t = bestMultimaskToken(iou, iouBase);
    return { maskToken: t, ptrToken: cfg.useMultimaskTokenForObjPtr ? t : 0, iou: iou[iouBase + t]! };
  }
  if (cfg.dynamicMultimaskViaStability) {
    const stable = stabilityScore(masks, b * 4 * maskArea, maskArea, cfg.stabilityDelta) >= cfg.stabilityThresh;
    if (!stable) {
      const t = bestMultimaskToken(iou, iouBase);
      return { maskToken: t, ptrToken: 0, iou: iou[iouBase + t]! };
    }
  }
  return { maskToken: 0, ptrToken: 0, iou: iou[iouBase]! };
}
