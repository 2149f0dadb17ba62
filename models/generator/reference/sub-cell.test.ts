/**
 * Sub-cell boundaries on a straight vertical edge: cells decide the object up to a cell edge, the
 * colour at stride 2 says the object ends half a cell earlier (or later); after the engine's bilinear
 * upsampling the mask's edge must move towards where the colour says; cells whose stride-2 pixels
 * agree with them, and cells with no edge around them, must keep their logits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '@masklet/onnx-builder';
import { f32, data } from '../testing/ort-run';
import { DEC, HIGHRES0, K, OPPONENT, REF } from './config';
import { subCellBoundaries } from './decoder-sub-cell';
import { colourBins } from './image-encoder';

const L = 8;
/** Tracking logits near an edge are a few units (the prior and colour terms taper towards it). */
const EDGE_LOGIT = 6;
/** The decoder's: colour's weight in the tracking logits (global + local terms). */
const DETAIL_WEIGHT = DEC.trackGain * (DEC.globalWeight + DEC.localWeight) * DEC.subCellDetail;
const C0 = REF.highRes[0].channels;
const OBJECT: [number, number, number] = [0.9, 0.2, 0.2];
const BACKGROUND: [number, number, number] = [0.2, 0.4, 0.8];
const opponent = (rgb: readonly number[]) =>
  OPPONENT.map((row) => row[0] * rgb[0]! + row[1] * rgb[1]! + row[2] * rgb[2]!);

async function run(g: GraphBuilder, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(g.toModel({ producer: 'test' }), { executionProviders: ['cpu'] });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/**
 * A colour model that has seen only OBJECT (fg) and BACKGROUND (bg): its bin log-ratios, and the
 * log-ratio each of OBJECT, BACKGROUND and their half-and-half blend gets from them (the decoder's
 * one MatMul of the log-ratios with a pixel's bins).
 */
async function colourModel(): Promise<{ llr: Float32Array; object: number; background: number; blend: number }> {
  const g = new GraphBuilder('bins');
  g.output('bins', colourBins(g, g.input('colour', [1, 3, 2, 2]), 2));
  const [o, b] = [opponent(OBJECT), opponent(BACKGROUND)];
  const colour = o.flatMap((v, c) => [v, b[c]!, (v + b[c]!) / 2, (v + b[c]!) / 2]);
  const bins = data((await run(g, { colour: f32(colour, [1, 3, 2, 2]) })).bins); // [1, K, 2 x 2 pixels]
  const llr = Float32Array.from({ length: K }, (_, k) =>
    Math.max(-5, Math.min(5, 10 * (bins[k * 4]! - bins[k * 4 + 1]!))),
  );
  const score = (pixel: number) => llr.reduce((sum, v, k) => sum + v * bins[k * 4 + pixel]!, 0);
  return { llr, object: score(0), background: score(1), blend: score(2) };
}

/**
 * One row of cells repeated down the image: cells < `cellEdge` are object by the logits (+EDGE_LOGIT,
 * -EDGE_LOGIT beyond); the stride-2 pixels are object colour left of `pixelEdge` (in stride-2 columns).
 */
async function refine(
  cellEdge: number,
  pixelEdge: number,
  model: Awaited<ReturnType<typeof colourModel>>,
): Promise<Float32Array> {
  const g = new GraphBuilder('sub_cell');
  const logits = g.input('logits', [1, 1, L, L]);
  const cellColour = g.input('cellColour', [1, 1, L, L]);
  const highRes0 = g.input('highRes0', [1, C0, L, L]);
  const llrIn = g.input('llr', [1, 1, K]);
  g.output(
    'refined',
    subCellBoundaries(g, { logits, cellColour, llr: llrIn, highRes0, detailWeight: DETAIL_WEIGHT }, L),
  );

  const z = new Float32Array(L * L);
  const cell = new Float32Array(L * L);
  const hr = new Float32Array(C0 * L * L);
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      z[y * L + x] = x < cellEdge ? EDGE_LOGIT : -EDGE_LOGIT;
      let objectPixels = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const isObject = 2 * x + dx < pixelEdge;
          objectPixels += isObject ? 1 : 0;
          const colour = opponent(isObject ? OBJECT : BACKGROUND);
          for (let c = 0; c < 3; c++) hr[(HIGHRES0.subColour + (dy * 2 + dx) * 3 + c) * L * L + y * L + x] = colour[c]!;
        }
      }
      cell[y * L + x] = objectPixels === 4 ? model.object : objectPixels === 0 ? model.background : model.blend;
    }
  }
  const out = await run(g, {
    logits: f32(z, [1, 1, L, L]),
    cellColour: f32(cell, [1, 1, L, L]),
    highRes0: f32(hr, [1, C0, L, L]),
    llr: f32(model.llr, [1, 1, K]),
  });
  return data(out.refined);
}

/** Where the bilinearly upsampled middle row crosses zero, in cell units (cell i spans [i, i + 1)). */
function crossing(row: Float32Array): number {
  for (let i = 0; i + 1 < row.length; i++) {
    if (row[i]! > 0 && row[i + 1]! <= 0) return i + 0.5 + row[i]! / (row[i]! - row[i + 1]!);
  }
  throw new Error(`no edge in ${Array.from(row).join(' ')}`);
}

test('the colour at stride 2 moves a cell-decided edge into the cell, both ways, and makes no edge where the cells have none', async () => {
  const model = await colourModel();
  const row = (v: Float32Array) => v.subarray(4 * L, 5 * L);
  // Cells say the object ends at 4.0; the colour says 3.5 (cell 3 half background).
  const shrunk = await refine(4, 7, model);
  console.log(
    Array.from(row(shrunk))
      .map((v) => v.toFixed(2))
      .join(' '),
  );
  assert.ok(crossing(row(shrunk)) < 3.85, `edge at ${crossing(row(shrunk))}, cells put it at 4.0, colour at 3.5`);
  // Cells say 4.0; the colour says 4.5 (cell 4 half object).
  const grown = await refine(4, 9, model);
  assert.ok(crossing(row(grown)) > 4.15, `edge at ${crossing(row(grown))}, cells put it at 4.0, colour at 4.5`);
  // No edge among the cells: object-coloured pixels in a background region make no object.
  const noEdge = await refine(0, 3, model);
  for (let i = 0; i < L; i++) assert.equal(row(noEdge)[i], -EDGE_LOGIT, `cell ${i} of an all-background row`);
  // Cells and colour agree: nothing moves.
  const agreed = await refine(4, 8, model);
  for (let i = 0; i < L; i++)
    assert.ok(Math.abs(row(agreed)[i]! - (i < 4 ? EDGE_LOGIT : -EDGE_LOGIT)) < 0.5, `cell ${i}: ${row(agreed)[i]}`);
});
