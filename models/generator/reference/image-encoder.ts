/**
 * imageEncoder: undo the ImageNet normalisation, convert to opponent colour, pool colour plus local
 * contrast (std of the colour in 12 x 12 windows) to strides 4 and 8 (the prompt path's appearance),
 * and softly assign every stride-4 pixel to K colour bins (the tracker's histogram space):
 * highRes0 = (appearance, bins at stride 4, colour at stride 2), visionFeatures = (bins at stride 8 packed 2 x 2,
 * colour at stride 16).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, BINS, HIGHRES0, K, OPPONENT, REF, VISION } from './config';
import { positionMap } from './grids';
import { similarNeighbours } from './similar-neighbours';

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

/** Triangular memberships of x [1, 1, n, n] to bins centred at `centres` (uniform spacing): [1, count, n, n], summing to 1. */
function memberships(g: GraphBuilder, x: Value, centres: number[]): Value {
  const w = centres[1]! - centres[0]!;
  const xc = g.clip(x, centres[0], centres[centres.length - 1]);
  const d = g.abs(g.sub(xc, g.const(centres, [1, centres.length, 1, 1])));
  return g.relu(g.sub(1, g.mul(d, 1 / w)));
}

function uniformCentres(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((i + 0.5) / n) * (hi - lo));
}

/** Memberships of each pixel of an opponent colour map [1, 3, n, n] to the bins of each axis: [1, nL | na | nb, n, n]. */
export function colourMemberships(g: GraphBuilder, colour: Value): { l: Value; a: Value; b: Value } {
  const [l, a, b] = g.split(colour, [1, 1, 1], 1);
  // Chroma relative to luminance (dark pixels keep their hue), then compressed.
  const scale = g.reciprocal(g.add(g.clip(l!, 0), BINS.chromaDark));
  const compress = (c: Value) => {
    const rel = g.mul(c, scale);
    return g.div(rel, g.add(g.abs(rel), BINS.chromaKnee));
  };
  return {
    l: memberships(g, g.sqrt(g.clip(l!, 0, 1)), uniformCentres(BINS.nL, 0, 1)),
    a: memberships(g, compress(a!), uniformCentres(BINS.na, -1, 1)),
    b: memberships(g, compress(b!), uniformCentres(BINS.nb, -1, 1)),
  };
}

/** Soft colour-bin map [1, K, n, n] of an opponent colour map [1, 3, n, n]: the axes' memberships multiplied. */
export function colourBins(g: GraphBuilder, colour: Value, n: number): Value {
  const m = colourMemberships(g, colour);
  const outer = g.mul(g.mul(g.unsqueeze(m.l, [2, 3]), g.unsqueeze(m.a, [1, 3])), g.unsqueeze(m.b, [1, 2])); // [1, nL, na, nb, n, n]
  return g.reshape(outer, [1, K, n, n]);
}

/** [N, ch, 2n, 2n] -> [N, 4 ch, n, n], channel (dy * 2 + dx) * ch + k: the inverse of DepthToSpace (DCR). */
export function spaceToDepth2(g: GraphBuilder, x: Value, channels: number, n: number): Value {
  const split = g.reshape(x, [0, channels, n, 2, n, 2]);
  return g.reshape(g.transpose(split, [0, 3, 5, 1, 2, 4]), [0, 4 * channels, n, n]);
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
  const bins4 = g.scope('bins', () => colourBins(g, mean4, 4 * H)); // [1, K, 128, 128]
  const bins8 = spaceToDepth2(g, pool(bins4, 2), K, H); // [1, 4K, 32, 32]
  const colour16 = pool(pool(mean4, 2), 2); // [1, 3, 32, 32]
  if (VISION.bins !== 0 || VISION.appearance !== 4 * K)
    throw new Error('vision feature layout drifted from the concat order');
  g.output('visionFeatures', padChannels(g, g.concat([bins8, colour16], 1), 4 * K + 3, REF.hiddenDim), [
    1,
    REF.hiddenDim,
    H,
    H,
  ]);
  const pos = g.initializer('vision_pos_enc', positionMap(REF.hiddenDim, H, 0, 1), [1, REF.hiddenDim, H, H]);
  g.output('visionPosEnc', pos, [1, REF.hiddenDim, H, H]);
  const subColour = spaceToDepth2(g, pool(colour, 2), 3, 4 * H); // [1, 12, 128, 128]
  const similarity = similarNeighbours(g, f4, 4 * H); // [1, 8, 128, 128]
  if (
    HIGHRES0.bins !== APPEARANCE ||
    HIGHRES0.subColour !== APPEARANCE + K ||
    HIGHRES0.similarity !== APPEARANCE + K + 12
  )
    throw new Error('highRes0 layout drifted from the concat order');
  g.output('highRes0', g.concat([f4, bins4, subColour, similarity], 1), [1, REF.highRes[0].channels, 4 * H, 4 * H]);
  g.output('highRes1', padChannels(g, f8, APPEARANCE, REF.highRes[1].channels), [
    1,
    REF.highRes[1].channels,
    2 * H,
    2 * H,
  ]);
  return g;
}
