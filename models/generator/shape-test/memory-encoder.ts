/**
 * memoryEncoder at SAM 2.1-tiny scale, the body of SAM2Base._encode_new_memory: bilinear upsampling of
 * the mask logits to 1024, binarize or sigmoid, x20 - 10, the mask downsampler (four 3x3 / 2 convs to
 * 256 channels + 1x1), the pixel projection, two ConvNeXt fuser blocks, the 64-channel output
 * projection, and the no-object spatial embedding where the object score is <= 0.
 */
import { GraphBuilder } from '@masklet/onnx-builder';
import { TINY } from './config';
import { conv, gelu, layerNorm2d, sinePositionMap, Weights } from './layers';

export function buildMemoryEncoder(): GraphBuilder {
  const g = new GraphBuilder('shape_test_memory_encoder');
  const w = new Weights(g, TINY.seed + 4);
  const { hiddenDim: C, memoryDim: Cm, featureSize: H, lowResMaskSize: L, imageSize: S, memorySize: Hm } = TINY;
  const features = g.input('visionFeatures', [1, C, H, H]);
  const logits = g.input('maskLogits', ['B', 1, L, L]);
  const score = g.input('objectScoreLogits', ['B', 1]);
  const binarize = g.input('binarize', ['B']);

  const big = g.resize(logits, {
    scales: [1, 1, S / L, S / L],
    mode: 'linear',
    coordinateTransformationMode: 'half_pixel',
  });
  const perObject = (v: string) => g.reshape(v, [-1, 1, 1, 1]);
  const soft = g.sigmoid(big);
  const prob = g.add(soft, g.mul(perObject(binarize), g.sub(g.toFloat(g.greater(big, 0)), soft)));
  let m = g.sub(g.mul(prob, 20), 10);
  const chans = [1, 4, 16, 64, C];
  for (let i = 0; i + 1 < chans.length; i++) {
    m = conv(w, m, { cin: chans[i]!, cout: chans[i + 1]!, k: 3, stride: 2, pad: 1 }, `mask_ds${i}`);
    m = gelu(g, layerNorm2d(w, m, chans[i + 1]!, `mask_ds_ln${i}`));
  }
  m = conv(w, m, { cin: C, cout: C, k: 1 }, 'mask_ds_out');
  let x = g.add(conv(w, features, { cin: C, cout: C, k: 1 }, 'pix_feat_proj'), m);
  for (let b = 0; b < TINY.fuserBlocks; b++) {
    g.scope(`fuser${b}`, () => {
      let y = layerNorm2d(w, conv(w, x, { cin: C, cout: C, k: 7, pad: 3, group: C }, 'dwconv'), C, 'norm');
      y = conv(
        w,
        gelu(g, conv(w, y, { cin: C, cout: TINY.fuserExpansion * C, k: 1 }, 'pwconv1')),
        { cin: TINY.fuserExpansion * C, cout: C, k: 1 },
        'pwconv2',
      );
      x = g.add(x, g.mul(y, w.fill('gamma', [1, C, 1, 1], 0.1)));
    });
  }
  const out = conv(w, x, { cin: C, cout: Cm, k: 1 }, 'out_proj');
  const absent = perObject(g.toFloat(g.lessOrEqual(score, 0)));
  const withNoObj = g.add(out, g.mul(absent, w.normal('no_obj_embed_spatial', [1, Cm, 1, 1], 0.02)));
  g.output('memoryFeatures', withNoObj, ['B', Cm, Hm, Hm]);
  g.output('memoryPosEnc', g.initializer('memory_pos_enc', sinePositionMap(Cm, Hm), [1, Cm, Hm, Hm]), [1, Cm, Hm, Hm]);
  return g;
}
