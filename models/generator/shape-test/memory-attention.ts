/**
 * memoryAttention at SAM 2.1-tiny scale, following the contract's wrapper: the current features as
 * 4096 tokens of 256 (+ 0.1 x pos at input), memory tokens of 64 followed by each object pointer split
 * into C / Cm = 4 tokens (their temporal encoding repeated), then layers of self-attention over the
 * 4096 tokens, cross-attention to the memory (keys = memory + pos), and a 2048-wide MLP. Both
 * attentions take the queries TINY.memoryAttentionQueryChunk at a time (the manifest says how many), so
 * one call holds B x chunk x Nm scores rather than B x 4096 x Nm (~470 MB per object at 7 memory frames).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { TINY } from './config';
import { attention, layerNorm, mlp, toMap, toTokens, Weights } from './layers';

/** `queryChunk` >= 4096 builds the unchunked graph (the tests compare the two). */
export function buildMemoryAttention(queryChunk: number = TINY.memoryAttentionQueryChunk): GraphBuilder {
  const g = new GraphBuilder('shape_test_memory_attention');
  const w = new Weights(g, TINY.seed + 2);
  const { hiddenDim: C, memoryDim: Cm, featureSize: H } = TINY;
  const split = C / Cm;
  const curr = g.input('currFeatures', [1, C, H, H]);
  const currPos = g.input('currPosEnc', [1, C, H, H]);
  const memory = g.input('memory', ['B', 'Nm', Cm]);
  const memoryPos = g.input('memoryPosEnc', ['B', 'Nm', Cm]);
  const ptrs = g.input('objPtrs', ['B', 'Np', C]);
  const ptrPos = g.input('objPtrPosEnc', ['B', 'Np', Cm]);

  // Pointer tokens: [B, Np, C] -> [B, Np * C/Cm, Cm] (pointer-major); each pos row repeated C/Cm times.
  const ptrShape = g.shape(ptrs, 0, 2);
  const tokensShape = g.concat(
    [g.narrow(ptrShape, 0, 0, 1), g.op('Mul', [g.narrow(ptrShape, 0, 1, 2), g.constI64([split])]), g.constI64([Cm])],
    0,
  );
  const ptrTokens = g.reshape(ptrs, tokensShape);
  const ptrTokenPos = g.reshape(g.tile(g.unsqueeze(ptrPos, [2]), [1, 1, split, 1]), tokensShape);
  const mem = g.concat([memory, ptrTokens], 1);
  const memPos = g.concat([memoryPos, ptrTokenPos], 1);
  const keys = g.add(mem, memPos);

  const batch = g.shape(memory, 0, 1);
  const pos = toTokens(g, currPos, C); // [1, 4096, C]
  let x = g.expand(g.add(toTokens(g, curr, C), g.mul(pos, 0.1)), g.concat([batch, g.constI64([H * H, C])], 0));
  for (let layer = 0; layer < TINY.memoryAttentionLayers; layer++) {
    g.scope(`layer${layer}`, () => {
      let h = layerNorm(w, x, C, 'norm1');
      x = g.add(
        x,
        attention(
          w,
          h,
          h,
          h,
          {
            qDim: C,
            kDim: C,
            vDim: C,
            inner: C,
            heads: 1,
            outDim: C,
            queryChunk: { queries: H * H, size: queryChunk },
          },
          'self_attn',
        ),
      );
      h = layerNorm(w, x, C, 'norm2');
      x = g.add(
        x,
        attention(
          w,
          h,
          keys,
          mem,
          {
            qDim: C,
            kDim: Cm,
            vDim: Cm,
            inner: C,
            heads: 1,
            outDim: C,
            queryChunk: { queries: H * H, size: queryChunk },
          },
          'cross_attn',
        ),
      );
      h = layerNorm(w, x, C, 'norm3');
      x = g.add(x, mlp(w, h, [C, TINY.memoryAttentionMlp, C], 'mlp'));
    });
  }
  const out: Value = toMap(g, layerNorm(w, x, C, 'norm'), C, H);
  g.output('conditionedFeatures', out, ['B', C, H, H]);
  return g;
}
