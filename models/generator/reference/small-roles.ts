/** The three small roles: constants, objPtrTposProj and maskPrompt. */
import { GraphBuilder } from '@masklet/onnx-builder';
import { MEMPOS, noMemEmbed, POINTER_RECENCY_BETA, RECENCY_KEY, REF, TEMPORAL_LOG_WEIGHT } from './config';

export function buildConstants(): GraphBuilder {
  const g = new GraphBuilder('reference_constants');
  const { numMaskmem, memoryDim: Cm, hiddenDim: C } = REF;
  const tpos = new Float32Array(numMaskmem * Cm);
  TEMPORAL_LOG_WEIGHT.forEach((w, row) => (tpos[row * Cm + MEMPOS.temporalBias] = w));
  RECENCY_KEY.forEach((w, row) => (tpos[row * Cm + MEMPOS.recency] = w));
  g.output('maskmemTposEnc', g.initializer('maskmem_tpos_enc', tpos, [numMaskmem, Cm]), [numMaskmem, Cm]);
  g.output('noMemEmbed', g.initializer('no_mem_embed', noMemEmbed(), [C]), [C]);
  g.output('noObjPtr', g.initializer('no_obj_ptr', new Float32Array(C), [C]), [C]);
  return g;
}

/**
 * sinePe [N, C] (sin half then cos half; channel C/2 is cos(t / 15) at the lowest frequency) ->
 * posEnc [N, Cm] whose channel 0 is the pointer's recency log-weight beta * (cos(t / 15) - 1).
 */
export function buildObjPtrTposProj(): GraphBuilder {
  const g = new GraphBuilder('reference_obj_ptr_tpos_proj');
  const { hiddenDim: C, memoryDim: Cm } = REF;
  const sinePe = g.input('sinePe', ['N', C]);
  const w = new Float32Array(C * Cm);
  w[(C / 2) * Cm + 0] = POINTER_RECENCY_BETA;
  const b = new Float32Array(Cm);
  b[0] = -POINTER_RECENCY_BETA;
  const proj = g.add(g.matmul(sinePe, g.initializer('tpos_proj_w', w, [C, Cm])), g.initializer('tpos_proj_b', b, [Cm]));
  g.output('posEnc', proj, ['N', Cm]);
  return g;
}

/**
 * maskPrompt: the prompt mask already at the input square (the engine resizes and thresholds it),
 * then (mask * 20 - 10) area-pooled to L. The decoder reads maskInput as logits, so maskForPointer
 * is the same map.
 */
export function buildMaskPrompt(): GraphBuilder {
  const g = new GraphBuilder('reference_mask_prompt');
  const { imageSize: S, lowResMaskSize: L } = REF;
  const mask = g.input('mask', ['B', 1, S, S]);
  const binary = g.toFloat(g.greaterOrEqual(mask, 0.5));
  const logits = g.avgPool(g.sub(g.mul(binary, 20), 10), { kernel: [S / L, S / L], strides: [S / L, S / L] });
  g.output('lowResLogits', logits, ['B', 1, L, L]);
  g.output('maskForPointer', logits, ['B', 1, L, L]);
  return g;
}
