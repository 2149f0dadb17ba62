/**
 * imageEncoder at SAM 2.1-tiny scale: a conv patch embedding (7x7 / 4 to 96 channels), three conv
 * stages (96 @ stride 4, 192 @ 8, 384 @ 16; depthwise 3x3 + pointwise blocks, 2x2 / 2 downsampling),
 * FPN-like 1x1 laterals to 256 channels, and conv_s0 / conv_s1 for the high-resolution maps.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { TINY } from './config';
import { conv, gelu, sinePositionMap, Weights } from './layers';

function block(w: Weights, x: Value, c: number): Value {
  const y = conv(
    w,
    gelu(w.g, conv(w, x, { cin: c, cout: c, k: 3, pad: 1, group: c }, 'dw')),
    { cin: c, cout: c, k: 1 },
    'pw',
  );
  return w.g.add(x, w.g.mul(y, 0.5));
}

export function buildImageEncoder(): GraphBuilder {
  const g = new GraphBuilder('shape_test_image_encoder');
  const w = new Weights(g, TINY.seed + 1);
  const { imageSize: S, hiddenDim: C, featureSize: H } = TINY;
  const image = g.input('image', [1, 3, S, S]);
  let x = conv(w, image, { cin: 3, cout: TINY.stages[0].channels, k: 7, stride: 4, pad: 3 }, 'patch_embed');
  const levels: Value[] = [];
  TINY.stages.forEach((stage, i) => {
    if (i > 0)
      x = conv(w, x, { cin: TINY.stages[i - 1]!.channels, cout: stage.channels, k: 2, stride: 2 }, 'downsample');
    for (let b = 0; b < stage.blocks; b++) x = g.scope(`stage${i}`, () => block(w, x, stage.channels));
    levels.push(x);
  });
  const lateral = levels.map((l, i) => conv(w, l, { cin: TINY.stages[i]!.channels, cout: C, k: 1 }, `neck${i}`));
  g.output('visionFeatures', lateral[2]!, [1, C, H, H]);
  g.output('visionPosEnc', g.initializer('vision_pos_enc', sinePositionMap(C, H), [1, C, H, H]), [1, C, H, H]);
  const [h0, h1] = TINY.highRes;
  g.output('highRes0', conv(w, lateral[0]!, { cin: C, cout: h0.channels, k: 1 }, 'conv_s0'), [
    1,
    h0.channels,
    4 * H,
    4 * H,
  ]);
  g.output('highRes1', conv(w, lateral[1]!, { cin: C, cout: h1.channels, k: 1 }, 'conv_s1'), [
    1,
    h1.channels,
    2 * H,
    2 * H,
  ]);
  return g;
}
