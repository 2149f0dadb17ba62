/**
 * Sub-cell boundaries. The engine upsamples the L x L logits bilinearly to the video, so the mask's
 * edge falls where the interpolated logit crosses zero: between a cell of +A and one of -A that is
 * the cell edge, whatever the cell's content. A boundary cell whose object fraction is f places the
 * crossing at the true edge when its logit is about A (2f - 1) (the same encoding as a mask prompt's
 * `mask * 20 - 10` averaged over L). The fraction comes from the four stride-2 pixels of each cell:
 * each takes the bilinearly upsampled logit plus its own colour log-ratio's departure from its
 * cell's, and the cell's logit moves by 2A (f_fine - f_coarse), f_coarse being the fraction the
 * upsampled logit alone implies; cells whose stride-2 pixels agree with the cell do not move.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { BINS, HIGHRES0 } from './config';
import { edgeClampedNeighbours } from './decoder-common';
import { colourMemberships } from './image-encoder';

export interface SubCellInputs {
  /** Tracking logits [B, 1, L, L]. */
  logits: Value;
  /** The unsmoothed per-cell colour log-ratio [B, 1, L, L] the logits were built from. */
  cellColour: Value;
  /** Per-object bin log-ratios [B, 1, K]. */
  llr: Value;
  highRes0: Value;
  /** Logit units per unit of colour log-ratio at a stride-2 pixel ([B, 1, 1, 1] or scalar). */
  detailWeight: Value | number;
}

/**
 * sum_k llr[k] bins_k(x) for N pixels without building the [K, N] bin map: a bin is the product of
 * its luminance, a and b memberships, so one MatMul contracts the chroma product (na nb values per
 * pixel, shared by all objects) and the nL luminance memberships weigh what is left.
 */
function binLookup(g: GraphBuilder, llr: Value, m: { l: Value; a: Value; b: Value }, N: number): Value {
  const { nL, na, nb } = BINS;
  const chroma = g.reshape(g.mul(g.reshape(m.a, [na, 1, N]), g.reshape(m.b, [1, nb, N])), [na * nb, N]);
  const perLuminance = g.matmul(g.reshape(llr, [0, nL, na * nb]), chroma); // [B, nL, N]
  return g.reduceSum(g.mul(perLuminance, g.reshape(m.l, [1, nL, N])), [1]); // [B, 1, N]
}

/**
 * The four stride-2 values of each cell of v [B, 1, L, L] as the engine's bilinear (half-pixel,
 * edge-clamped) upsampling by 2 gives them, as channels [B, 4, L, L] (channel dy * 2 + dx): the
 * cell 9/16, its row and column neighbours on that side 3/16 each, the diagonal one 1/16.
 */
function subPixelValues(g: GraphBuilder, v: Value, L: number): Value {
  const shifted = edgeClampedNeighbours(g, v, L);
  const centre = g.mul(v, 9 / 16);
  const out: Value[] = [];
  for (const sy of [-1, 1]) {
    for (const sx of [-1, 1]) {
      const sides = g.add(g.mul(g.add(shifted(sy, 0), shifted(0, sx)), 3 / 16), g.mul(shifted(sy, sx), 1 / 16));
      out.push(g.add(centre, sides));
    }
  }
  return g.concat(out, 1);
}

/**
 * Colour memberships of the stride-2 pixels, each [1, count, 4 L, L] with the pixels in (dy * 2 + dx,
 * row, column) order: highRes0 packs them as channel groups, so no rearrangement to 2L x 2L is needed.
 */
function subPixelMemberships(g: GraphBuilder, highRes0: Value, L: number) {
  const grouped = g.reshape(g.narrow(highRes0, 1, HIGHRES0.subColour, HIGHRES0.subColour + 12), [4, 3, L, L]);
  const channel = (c: number) => g.reshape(g.narrow(grouped, 1, c, c + 1), [1, 1, 4 * L, L]);
  return colourMemberships(g, g.concat([channel(0), channel(1), channel(2)], 1));
}

export function subCellBoundaries(g: GraphBuilder, x: SubCellInputs, L: number): Value {
  const pixelColour = g.reshape(binLookup(g, x.llr, subPixelMemberships(g, x.highRes0, L), 4 * L * L), [0, 4, L, L]);
  const coarse = subPixelValues(g, x.logits, L);
  const fine = g.add(coarse, g.mul(g.sub(pixelColour, subPixelValues(g, x.cellColour, L)), x.detailWeight));
  const fraction = (v: Value) => g.reduceMean(g.sigmoid(v), [1]);
  const around = (v: Value) => g.maxPool(v, { kernel: [3, 3], pads: [1, 1, 1, 1] });
  const highest = around(x.logits);
  const lowest = around(g.neg(x.logits)); // minus the lowest
  const reach = g.max(highest, lowest); // A: the neighbours' magnitude
  // Only cells with an edge in their 3 x 3 neighbourhood move: edges shift, objects are not made or erased.
  const edge = g.mul(g.toFloat(g.greater(highest, 0)), g.toFloat(g.greater(lowest, 0)));
  return g.add(x.logits, g.mul(g.mul(g.mul(g.sub(fraction(fine), fraction(coarse)), reach), edge), 2));
}
