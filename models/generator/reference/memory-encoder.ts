/**
 * memoryEncoder: binds the chosen mask to the frame's appearance on the 16 x 16 memory grid.
 * Token = key (appearance) + value (foreground fraction, purity-weighted fg / bg appearance sums).
 * An absent object (objectScoreLogits <= 0) stores m = 0 everywhere: the no-object memory.
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { APPEARANCE, MEM, MEMPOS, REF } from './config';
import { positionMap } from './grids';

export function buildMemoryEncoder(): GraphBuilder {
  const g = new GraphBuilder('reference_memory_encoder');
  const { hiddenDim: C, featureSize: H, lowResMaskSize: L, memoryDim: Cm, memorySize: Hm } = REF;
  const features = g.input('visionFeatures', [1, C, H, H]);
  const logits = g.input('maskLogits', ['B', 1, L, L]);
  const score = g.input('objectScoreLogits', ['B', 1]);
  const binarize = g.input('binarize', ['B']);

  const perObject = (x: Value) => g.reshape(x, [-1, 1, 1, 1]);
  const hard = g.toFloat(g.greater(logits, 0));
  const soft = g.sigmoid(logits);
  const prob = g.add(soft, g.mul(perObject(binarize), g.sub(hard, soft)));
  const present = perObject(g.toFloat(g.greater(score, 0)));
  const pool = (x: Value, k: number) => g.avgPool(x, { kernel: [k, k], strides: [k, k] });

  const m32 = g.mul(pool(prob, L / H), present); // [B, 1, 32, 32]
  const f32 = g.narrow(features, 1, 0, APPEARANCE); // [1, 4, 32, 32]
  const fgW = g.square(m32);
  const bgW = g.square(g.sub(1, m32));
  const batch = g.shape(logits, 0, 1);
  const key = g.expand(pool(f32, 2), g.concat([batch, g.constI64([APPEARANCE, Hm, Hm])], 0));
  const tokens = g.concat(
    [key, pool(m32, 2), pool(fgW, 2), pool(g.mul(fgW, f32), 2), pool(bgW, 2), pool(g.mul(bgW, f32), 2)],
    1,
  ); // [B, 15, 16, 16]
  if (MEM.fgFraction !== 4 || MEM.fgMass !== 5 || MEM.bgMass !== 10 || MEM.bgSum !== 11) throw new Error('memory token layout drifted from the concat order');
  g.output('memoryFeatures', g.pad(tokens, [0, 0, 0, 0, 0, Cm - 15, 0, 0]), ['B', Cm, Hm, Hm]);
  const pos = g.initializer('memory_pos_enc', positionMap(Cm, Hm, MEMPOS.x, MEMPOS.y), [1, Cm, Hm, Hm]);
  g.output('memoryPosEnc', pos, [1, Cm, Hm, Hm]);
  return g;
}
