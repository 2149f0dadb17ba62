/**
 * imageEncoder: undo the ImageNet normalisation, convert to opponent colour, and pool colour plus
 * local contrast (std of the colour in 12 x 12 windows) to strides 4, 8 and 16.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, OPPONENT, REF } from './config';
import { positionMap } from './grids';

/** 1x1 conv weights folding x * std + mean into the opponent transform. */
function colourConv(): { w: Float32Array; b: Float32Array } {
  const w = new Float32Array(9);
  const b = new Float32Array(3);
  for (let k = 0; k < 3; k++) {
    for (let j = 0; j < 3; j++) {
      w[k * 3 + j] = OPPONENT[k]![j]! * REF.std[j]!;
      b[k] = b[k]! + OPPONENT[k]![j]! * REF.mean[j]!;
    }
  }
  return { w, b };
}

function padChannels(g: GraphBuilder, x: Value, from: number, to: number): Value {
  return g.pad(x, [0, 0, 0, 0, 0, to - from, 0, 0]);
}

export function buildImageEncoder(): GraphBuilder {
  const g = new GraphBuilder('reference_image_encoder');
  const S = REF.imageSize;
  const H = REF.featureSize;
  const image = g.input('image', [1, 3, S, S]);
  const { w, b } = colourConv();
  const colour = g.conv(image, g.initializer('opponent_w', w, [3, 3, 1, 1]), g.initializer('opponent_b', b, [3]));
  const pool = (x: Value, k: number) => g.avgPool(x, { kernel: [k, k], strides: [k, k] });
  const mean4 = pool(colour, 4);
  const sq4 = pool(g.square(colour), 4);
  // Local contrast over 12 x 12 windows (3 x 3 cells of the stride-4 grid) centred on each cell.
  const window = (x: Value) => g.avgPool(x, { kernel: [3, 3], pads: [1, 1, 1, 1] });
  const variance = g.reduceSum(g.sub(window(sq4), g.square(window(mean4))), [1]);
  const contrast = g.sqrt(g.add(g.clip(variance, 0), 1e-6));
  const f4 = g.concat([mean4, contrast], 1); // [1, 4, 128, 128]
  const f8 = pool(f4, 2);
  const f16 = pool(f8, 2);
  g.output('visionFeatures', padChannels(g, f16, APPEARANCE, REF.hiddenDim), [1, REF.hiddenDim, H, H]);
  const pos = g.initializer('vision_pos_enc', positionMap(REF.hiddenDim, H, 0, 1), [1, REF.hiddenDim, H, H]);
  g.output('visionPosEnc', pos, [1, REF.hiddenDim, H, H]);
  g.output('highRes0', padChannels(g, f4, APPEARANCE, REF.highRes[0].channels), [1, REF.highRes[0].channels, 4 * H, 4 * H]);
  g.output('highRes1', padChannels(g, f8, APPEARANCE, REF.highRes[1].channels), [1, REF.highRes[1].channels, 2 * H, 2 * H]);
  return g;
}
