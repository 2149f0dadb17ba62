/** The shape-test model's small roles: maskPrompt, objPtrTposProj and constants. */
import { GraphBuilder } from '@masklet/onnx-builder';
import { TINY } from './config';
import { linear, Weights } from './layers';

/** Mask at the input square (resized by the engine) >= 0.5; lowResLogits = (mask x 20 - 10) area-pooled to L; maskForPointer = mask_downsample (4x4 / 4 conv). */
export function buildMaskPrompt(): GraphBuilder {
  const g = new GraphBuilder('shape_test_mask_prompt');
  const w = new Weights(g, TINY.seed + 5);
  const { imageSize: S, lowResMaskSize: L } = TINY;
  const k = S / L;
  const mask = g.input('mask', ['B', 1, S, S]);
  const binary = g.toFloat(g.greaterOrEqual(mask, 0.5));
  g.output('lowResLogits', g.avgPool(g.sub(g.mul(binary, 20), 10), { kernel: [k, k], strides: [k, k] }), [
    'B',
    1,
    L,
    L,
  ]);
  const down = g.conv(binary, w.normal('mask_downsample_w', [1, 1, k, k], 1 / k), w.fill('mask_downsample_b', [1], 0), {
    strides: [k, k],
  });
  g.output('maskForPointer', down, ['B', 1, L, L]);
  return g;
}

export function buildObjPtrTposProj(): GraphBuilder {
  const g = new GraphBuilder('shape_test_obj_ptr_tpos_proj');
  const w = new Weights(g, TINY.seed + 6);
  const sinePe = g.input('sinePe', ['N', TINY.hiddenDim]);
  g.output('posEnc', linear(w, sinePe, TINY.hiddenDim, TINY.memoryDim, 'obj_ptr_tpos_proj'), ['N', TINY.memoryDim]);
  return g;
}

export function buildConstants(): GraphBuilder {
  const g = new GraphBuilder('shape_test_constants');
  const w = new Weights(g, TINY.seed + 7);
  const { numMaskmem, memoryDim: Cm, hiddenDim: C } = TINY;
  g.output('maskmemTposEnc', w.normal('maskmem_tpos_enc', [numMaskmem, Cm], 0.02), [numMaskmem, Cm]);
  g.output('noMemEmbed', w.normal('no_mem_embed', [C], 0.02), [C]);
  g.output('noObjPtr', w.normal('no_obj_ptr', [C], 0.02), [C]);
  return g;
}
