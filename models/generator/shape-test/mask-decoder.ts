/**
 * maskDecoder at SAM 2.1-tiny scale: prompt encoder, a two-way transformer (token self-attention,
 * token->image and image->token cross-attention at 128 dims, 8 heads, 2048-wide MLP), output
 * upscaling to 256 x 256 by two 2x2 transposed convs with the high-res skips, per-token hypernetwork
 * MLPs, the IoU / object-score heads and obj_ptr_proj on each of the four mask tokens.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { TINY } from './config';
import {
  attention,
  AttentionSpec,
  gelu,
  layerNorm,
  layerNorm2d,
  mlp,
  sinePositionMap,
  toTokens,
  upconv,
  Weights,
} from './layers';
import { denseEmbedding, sparseEmbedding } from './prompt-encoder';

const C = TINY.hiddenDim;
const selfSpec: AttentionSpec = { qDim: C, kDim: C, vDim: C, inner: C, heads: TINY.decoderHeads, outDim: C };
const crossSpec: AttentionSpec = {
  qDim: C,
  kDim: C,
  vDim: C,
  inner: TINY.decoderCrossDim,
  heads: TINY.decoderHeads,
  outDim: C,
};

function twoWayTransformer(w: Weights, tokens: Value, image: Value, imagePe: Value): { queries: Value; keys: Value } {
  const g = w.g;
  let queries = tokens;
  let keys = image;
  for (let i = 0; i < TINY.decoderDepth; i++) {
    g.scope(`block${i}`, () => {
      if (i === 0) queries = attention(w, queries, queries, queries, selfSpec, 'self_attn');
      else {
        const q = g.add(queries, tokens);
        queries = g.add(queries, attention(w, q, q, queries, selfSpec, 'self_attn'));
      }
      queries = layerNorm(w, queries, C, 'norm1');
      let q = g.add(queries, tokens);
      let k = g.add(keys, imagePe);
      queries = layerNorm(w, g.add(queries, attention(w, q, k, keys, crossSpec, 't2i')), C, 'norm2');
      queries = layerNorm(w, g.add(queries, mlp(w, queries, [C, TINY.decoderMlp, C], 'mlp')), C, 'norm3');
      q = g.add(queries, tokens);
      k = g.add(keys, imagePe);
      keys = layerNorm(w, g.add(keys, attention(w, k, q, queries, crossSpec, 'i2t')), C, 'norm4');
    });
  }
  const q = g.add(queries, tokens);
  const k = g.add(keys, imagePe);
  queries = layerNorm(w, g.add(queries, attention(w, q, k, keys, crossSpec, 'final_attn')), C, 'norm_final');
  return { queries, keys };
}

/** Four hypernetwork MLPs (one per mask token) applied at once: [B, 4, C] -> [B, 4, out]. */
function hypernetworks(w: Weights, tokens: Value, out: number): Value {
  const g = w.g;
  let h = g.unsqueeze(tokens, [2]); // [B, 4, 1, C]
  const dims = [C, C, C, out];
  for (let i = 0; i + 1 < dims.length; i++) {
    const W = w.normal(`hyper${i}_w`, [4, dims[i]!, dims[i + 1]!], 1 / Math.sqrt(dims[i]!));
    h = g.add(g.matmul(h, W), w.fill(`hyper${i}_b`, [4, 1, dims[i + 1]!], 0));
    if (i + 2 < dims.length) h = g.relu(h);
  }
  return g.squeeze(h, [2]);
}

export function buildMaskDecoder(): GraphBuilder {
  const g = new GraphBuilder('shape_test_mask_decoder');
  const w = new Weights(g, TINY.seed + 3);
  const { featureSize: H, lowResMaskSize: L } = TINY;
  const [h0, h1] = TINY.highRes;
  const features = g.input('features', ['B', C, H, H]);
  const highRes0 = g.input('highRes0', [1, h0.channels, 4 * H, 4 * H]);
  const highRes1 = g.input('highRes1', [1, h1.channels, 2 * H, 2 * H]);
  const coords = g.input('pointCoords', ['B', 'P', 2]);
  const labels = g.input('pointLabels', ['B', 'P']);
  const maskInput = g.input('maskInput', ['B', 1, L, L]);
  const hasMaskInput = g.input('hasMaskInput', ['B']);

  const sparse = g.scope('prompt', () => sparseEmbedding(w, coords, labels));
  const dense = g.scope('prompt', () => denseEmbedding(w, maskInput, hasMaskInput));
  const batch = g.shape(features, 0, 1);
  const outputTokens = g.expand(w.normal('output_tokens', [1, 6, C], 1), g.concat([batch, g.constI64([6, C])], 0)); // obj score, iou, 4 masks
  const tokens = g.concat([outputTokens, sparse], 1);
  const imagePe = toTokens(g, g.initializer('image_pe', sinePositionMap(C, H), [1, C, H, H]), C);
  const { queries, keys } = g.scope('transformer', () =>
    twoWayTransformer(w, tokens, toTokens(g, g.add(features, dense), C), imagePe),
  );

  const src = g.reshape(g.transpose(keys, [0, 2, 1]), [0, C, H, H]);
  let up = upconv(w, src, C, h1.channels, 2, 'upscale0');
  up = gelu(g, layerNorm2d(w, g.add(up, highRes1), h1.channels, 'upscale_ln'));
  up = gelu(g, g.add(upconv(w, up, h1.channels, h0.channels, 2, 'upscale1'), highRes0)); // [B, 32, 256, 256]
  const maskTokens = g.narrow(queries, 1, 2, 6); // [B, 4, C]
  const hyper = g.scope('hyper', () => hypernetworks(w, maskTokens, h0.channels));
  const masks = g.reshape(g.matmul(hyper, g.reshape(up, [0, h0.channels, -1])), [0, 4, L, L]);
  g.output('masks', masks, ['B', 4, L, L]);
  const iouToken = g.squeeze(g.narrow(queries, 1, 1, 2), [1]);
  g.output('iouPredictions', g.sigmoid(mlp(w, iouToken, [C, C, C, 4], 'iou_head')), ['B', 4]);
  const objToken = g.squeeze(g.narrow(queries, 1, 0, 1), [1]);
  g.output('objectScoreLogits', mlp(w, objToken, [C, C, C, 1], 'obj_score_head'), ['B', 1]);
  g.output('objPtrs', mlp(w, maskTokens, [C, C, C, C], 'obj_ptr_proj'), ['B', 4, C]);
  return g;
}
