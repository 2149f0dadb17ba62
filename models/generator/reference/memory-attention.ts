/**
 * memoryAttention: a colour-histogram model of the object and a spatial prior, from the memory frames.
 *  - histograms: each memory frame's foreground and ring-background histograms, normalised to bin
 *    distributions, averaged over frames with weight exp(temporal bias) x presence (conditioning
 *    frames are the anchor with the largest weight; frames without the object do not count);
 *    out: the per-bin log-likelihood ratio log((p_fg + eps) / (p_bg + eps)).
 *  - spatial prior: the mask of the latest memory frame (softmax over the recency key) at 64 x 64,
 *    turned into a signed-distance-like D in [-1, 1] = mean of the mask, its max-pool dilations and
 *    erosions, minus 1 (+1 deep inside, 0 at the boundary, -1 far away: objects do not teleport);
 *    where the latest frame has no object, D is a constant (re-detection anywhere). The latest mask
 *    is first moved along per-cell motion (block matching of colour between the latest frame and the
 *    current one, pulled towards the object's global shift; see motionCompensate).
 * Object pointers are not read (Np = 0 works as any other Np).
 */
import { GraphBuilder, Value } from '@masklet/onnx-builder';
import { ATTN, FEAT, K, LOCAL_MOTION, MEM, MEMPOS, REF, VISION } from './config';
import { spaceToDepth2 } from './image-encoder';

/** Shifts d = (dx, dy) in cells, row-major over dy then dx. */
function shifts(): [number, number][] {
  const r = ATTN.motionRange;
  const out: [number, number][] = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) out.push([dx, dy]);
  return out;
}

/** [D, n * n] indices: entry (d, y, x) reads (y - s dy, x - s dx); outside the grid reads index n * n (or clamps). */
function shiftIndices(n: number, step: number, sign: number, clamp: boolean): number[] {
  const out: number[] = [];
  for (const [dx, dy] of shifts()) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let sy = y + sign * step * dy;
        let sx = x + sign * step * dx;
        if (clamp) {
          sy = Math.min(n - 1, Math.max(0, sy));
          sx = Math.min(n - 1, Math.max(0, sx));
          out.push(sy * n + sx);
        } else out.push(sy < 0 || sy >= n || sx < 0 || sx >= n ? n * n : sy * n + sx);
      }
    }
  }
  return out;
}

/**
 * Global motion of the object since the latest memory frame: for every shift d of a (2R+1)^2 window
 * (32 x 32 cells) the mean squared colour difference between the previous frame under its mask and
 * the current frame displaced by d, plus a small penalty on |d|; returns the soft arg-min
 * (softmax-weighted mean shift) in cells, [B, 2] as (dx, dy). Three MatMuls, one Gather.
 */
function globalShift(g: GraphBuilder, mask: Value, prevColour: Value, currColour: Value): Value {
  const H = REF.featureSize;
  const D = shifts().length;
  const w = g.reshape(g.avgPool(mask, { kernel: [2, 2], strides: [2, 2] }), [0, H * H]); // [B, 1024]
  const curr = g.reshape(currColour, [3, H * H]);
  const moved = g.gather(curr, g.constI64(shiftIndices(H, 1, 1, true), [D, H * H]), 1); // [3, D, 1024]: curr(x + d)
  const movedSq = g.reduceSumSquare(moved, [0], false); // [D, 1024]
  const prev = g.reshape(prevColour, [0, 3 * H * H]); // [B, 3072]
  const wRep = g.reshape(g.expand(g.unsqueeze(w, [1]), g.concat([g.shape(w, 0, 1), g.constI64([3, H * H])], 0)), [
    0,
    3 * H * H,
  ]);
  const cross = g.matmul(g.mul(wRep, prev), g.reshape(g.transpose(moved, [0, 2, 1]), [3 * H * H, D])); // [B, D]
  const energy = g.matmul(w, g.transpose(movedSq, [1, 0])); // [B, D]
  const self = g.reduceSum(g.mul(wRep, g.square(prev)), [1]); // [B, 1]
  const mass = g.add(g.reduceSum(w, [1]), 1e-3);
  const ssd = g.div(g.add(g.sub(energy, g.mul(cross, 2)), self), mass);
  const penalty = g.const(
    shifts().map(([dx, dy]) => ATTN.motionPenalty * (dx * dx + dy * dy)),
    [1, D],
  );
  const cost = g.add(ssd, penalty);
  const weights = g.softmax(g.mul(cost, -1 / ATTN.motionTemperature), 1); // [B, D]
  if (ATTN.subCellMotion !== 1) return g.matmul(weights, g.const(shifts().flat(), [D, 2]));
  // Sub-cell motion: each shift carries the vertex of the parabola through its cost and its two
  // neighbours along each axis, so the soft arg-min lands between whole cells (objects rarely move
  // by whole 16-pixel cells from one frame to the next).
  const refined = g.add(g.const(shifts().flat(), [1, D, 2]), parabolaVertex(g, cost)); // [B, D, 2]
  return g.reduceSum(g.mul(refined, g.unsqueeze(weights, [2])), [1], false);
}

/** [B, D] costs over the shift grid -> [B, D, 2] sub-cell offsets (x, y) in [-0.5, 0.5] of each shift's parabola vertex. */
function parabolaVertex(g: GraphBuilder, cost: Value): Value {
  const r = ATTN.motionRange;
  const side = 2 * r + 1;
  const neighbour = (dx: number, dy: number) =>
    g.gather(
      cost,
      g.constI64(
        shifts().map(([x, y]) => {
          const nx = Math.min(r, Math.max(-r, x + dx));
          const ny = Math.min(r, Math.max(-r, y + dy));
          return (ny + r) * side + (nx + r);
        }),
        [side * side],
      ),
      1,
    );
  const axis = (dx: number, dy: number) => {
    const before = neighbour(-dx, -dy);
    const after = neighbour(dx, dy);
    const curvature = g.sub(g.add(before, after), g.mul(cost, 2));
    const vertex = g.div(g.sub(before, after), g.mul(g.max(curvature, 1e-9), 2));
    return g.unsqueeze(g.clip(vertex, -0.5, 0.5), [2]);
  };
  return g.concat([axis(1, 0), axis(0, 1)], 2);
}

/**
 * Moves maps [B, ch, n, n] by a per-object shift t [B, 2] (x, y) in cells of this grid, bilinearly:
 * out(y, x) = in(y - ty, x - tx), as two MatMuls with tent matrices built from t. With `renormalise`
 * rows that read partly outside the grid are rescaled (colour stays colour at the border); without,
 * the outside reads 0 (a mask leaves the frame).
 */
function translate(g: GraphBuilder, maps: Value, t: Value, n: number, renormalise: boolean): Value {
  const rowsMinusCols = g.const(
    Float32Array.from({ length: n * n }, (_, k) => Math.floor(k / n) - (k % n)),
    [1, n, n],
  ); // [1, i, j]: i - j
  const tent = (c: number) => {
    const tc = g.reshape(g.narrow(t, 1, c, c + 1), [-1, 1, 1]);
    const m = g.relu(g.sub(1, g.abs(g.sub(rowsMinusCols, tc)))); // weight of input j for output i: 1 - |i - t - j|
    return renormalise ? g.div(m, g.add(g.reduceSum(m, [2]), 1e-6)) : m;
  };
  const my = g.unsqueeze(tent(1), [1]); // [B, 1, n, n]
  const mx = g.unsqueeze(tent(0), [1]);
  return g.matmul(g.matmul(my, maps), g.transpose(mx, [0, 1, 3, 2]));
}

/**
 * Motion compensation of the latest mask. Each current cell of the 32 x 32 grid finds where it came
 * from in the latest frame by matching colour over a window of cells (block matching over the same
 * +-R shifts), with a pull towards the object's global shift where colour is ambiguous; the latest
 * mask is pulled back along these soft per-cell displacements (a backward warp: no holes). Follows
 * scale change and articulated parts, which one translation cannot.
 */
function motionCompensate(
  g: GraphBuilder,
  latestMask: Value,
  latestColour: Value,
  currColour: Value,
): { warped: Value; explained: Value } {
  const H = REF.featureSize;
  const global = globalShift(g, latestMask, latestColour, currColour);
  // With sub-cell motion the latest frame and mask are first moved by the object's global shift
  // (bilinearly); block matching then finds each cell's own whole-cell displacement relative to it.
  const subCell = ATTN.subCellMotion === 1;
  const mask = subCell ? translate(g, latestMask, g.mul(global, 2), 2 * H, false) : latestMask;
  const prevColour = subCell ? translate(g, latestColour, global, H, true) : latestColour;
  const toward = subCell ? g.const([0, 0], [1, 2]) : global;
  const D = shifts().length;
  const prev = g.reshape(prevColour, [0, 3, H * H]);
  const source = g.gather(prev, g.constI64(shiftIndices(H, 1, -1, true), [D, H * H]), 2); // [B, 3, D, 1024]: prev(y - d)
  const cost = g.reduceSum(g.square(g.sub(source, g.reshape(currColour, [1, 3, 1, H * H]))), [1], false); // [B, D, 1024]
  const win = LOCAL_MOTION.window;
  const pooled = g.avgPool(g.reshape(cost, [0, D, H, H]), {
    kernel: [win, win],
    pads: [(win - 1) / 2, (win - 1) / 2, (win - 1) / 2, (win - 1) / 2],
  });
  const offsets = g.const(shifts().flat(), [1, D, 2]);
  const deviation = g.reduceSumSquare(g.sub(offsets, g.unsqueeze(toward, [1])), [2], false); // [B, D]
  const penalty = g.reshape(g.mul(deviation, LOCAL_MOTION.globalPull), [0, D, 1, 1]);
  // Softmax over the shifts, written out: ORT's Softmax on a non-last axis transposes (1.1 ms here).
  const logits = g.mul(g.add(pooled, penalty), -1 / LOCAL_MOTION.temperature);
  const e = g.exp(g.sub(logits, g.reduceMax(logits, [1])));
  const weights = g.div(e, g.reduceSum(e, [1])); // [B, D, 32, 32]
  // The warped mask mixes the 81 shifted masks by their weights rather than warping by each cell's
  // expected displacement: a mask that shrank on an ambiguous frame would stay shrunk; the mixture
  // spreads uncertain cells, so the prior stays wide enough to recover (generator README).
  // The 64 x 64 mask as 4 sub-pixel planes of the 32 grid: a shift of whole cells moves each plane
  // alike, and the four pixels of a cell share its weights.
  const planes = g.reshape(spaceToDepth2(g, mask, 1, H), [0, 4, H * H]);
  const padded = g.concat([planes, g.mul(g.narrow(planes, 2, 0, 1), 0)], 2); // [B, 4, 1025]: index 1024 reads 0
  const moved = g.gather(padded, g.constI64(shiftIndices(H, 1, -1, false), [D, H * H]), 2); // [B, 4, D, 1024]
  const warped = g.reduceSum(g.mul(moved, g.reshape(weights, [0, 1, D, H * H])), [2], false); // [B, 4, 1024]
  // How well the motion explains the current frame: the latest frame's colours moved by the same
  // per-cell weights, against the current colours (1 where they agree).
  const predicted = g.reduceSum(g.mul(source, g.reshape(weights, [0, 1, D, H * H])), [2], false); // [B, 3, 1024]
  const error = g.reduceSum(g.square(g.sub(predicted, g.reshape(currColour, [1, 3, H * H]))), [1]); // [B, 1, 1024]
  const explained = g.reshape(g.exp(g.mul(error, -1 / ATTN.explainedSigma2)), [0, 1, H, H]);
  return { warped: g.depthToSpace(g.reshape(warped, [0, 4, H, H]), 2), explained }; // [B, 1, 64, 64], [B, 1, 32, 32]
}

/**
 * Local colour models from the current frame itself: where the (motion-compensated) prior is
 * confident, its interior (D > localFgFrom) and exterior (D < -localBgFrom) give fg / bg bin
 * histograms pooled over windows of 3 x 3 cells of 32 x 32 pixels (stride 32), shrunk towards the
 * memory's global distributions with a pseudo-count; each stride-8 pixel of the current frame then
 * gets the local log-ratio of its bins: [B, 1, 64, 64].
 */
function localScore(g: GraphBuilder, prior: Value, currBins: Value, global: Value, globalLlr: Value): Value {
  const n = 2 * REF.featureSize;
  const bins = g.depthToSpace(currBins, 2); // [1, K, 64, 64]
  const ramp = (x: Value, from: number) => g.clip(g.mul(g.sub(x, from), 1 / (1 - from)), 0, 1);
  // Interior pixels count as foreground samples only as far as the memory's global model agrees
  // (an EM step): an object that left its place does not turn the background there into "object".
  const globalScore = g.reshape(g.matmul(g.transpose(globalLlr, [0, 2, 1]), g.reshape(bins, [K, n * n])), [0, 1, n, n]);
  const wf = g.mul(ramp(prior, ATTN.localFgFrom), g.sigmoid(g.add(globalScore, ATTN.localFgAgreement)));
  const wb = ramp(g.neg(prior), ATTN.localBgFrom);
  const window = (w: Value) =>
    g.avgPool(g.avgPool(g.mul(w, bins), { kernel: [4, 4], strides: [4, 4] }), { kernel: [3, 3], pads: [1, 1, 1, 1] }); // [B, K, 16, 16], mean per stride-8 cell
  const cells = 16 * 9;
  const dist = (w: Value, globalP: Value) => {
    const counts = g.mul(window(w), cells);
    const mass = g.reduceSum(counts, [1]);
    const prior = g.reshape(globalP, [0, K, 1, 1]);
    return g.div(g.add(counts, g.mul(prior, ATTN.localPseudoCount)), g.add(mass, ATTN.localPseudoCount));
  };
  const pf = dist(wf, g.narrow(global, 2, 0, 1));
  const pb = dist(wb, g.narrow(global, 2, 1, 2));
  const llr = g.clip(
    g.sub(g.log(g.add(pf, ATTN.histEpsilon)), g.log(g.add(pb, ATTN.histEpsilon))),
    -ATTN.llrClip,
    ATTN.llrClip,
  );
  const up = g.resize(llr, { scales: [1, 1, 4, 4], mode: 'linear' }); // [B, K, 64, 64]
  return g.reduceSum(g.mul(up, bins), [1]); // [B, 1, 64, 64]
}

/** [B, F, 1, 1] softmax over the memory frames' recency keys: ~1 on the latest memory frame. */
function recencyWeights(g: GraphBuilder, posChannel: (ch: number) => Value): Value {
  return g.softmax(g.mul(posChannel(MEMPOS.recency), ATTN.recencySharpness), 1);
}

/**
 * While the latest memory frame holds no object (lost: the search covers the whole frame) a bin's
 * background share becomes max(ring, (1 - w) ring + w frame), the frame's being the current frame's
 * whole histogram: a background patch like the object's edge colours is no longer "object" merely
 * because the ring lacked it. remembered [B, K, 2] (fg, bg) -> the same with that background.
 */
function withFrameBackgroundWhenLost(
  g: GraphBuilder,
  remembered: Value,
  presence: Value,
  curr: Value,
  posChannel: (ch: number) => Value,
): Value {
  const H = REF.featureSize;
  const recency = recencyWeights(g, posChannel);
  const frameBins = g.reduceSum(
    g.reshape(g.narrow(curr, 1, VISION.bins, VISION.bins + 4 * K), [1, 4, K, H * H]),
    [1, 3],
    false,
  ); // [1, K]
  const frameDist = g.reshape(g.div(frameBins, g.reduceSum(frameBins, [1])), [1, K, 1]);
  const latestFg = g.reshape(g.reduceSum(g.mul(g.narrow(presence, 3, 0, 1), recency), [1]), [-1, 1, 1]); // [B, 1, 1]
  const ring = g.narrow(remembered, 2, 1, 2);
  const share = ATTN.lostFrameBackground;
  const lost = g.max(ring, g.add(g.mul(ring, 1 - share), g.mul(frameDist, share)));
  const bg = g.add(g.mul(ring, latestFg), g.mul(lost, g.sub(1, latestFg)));
  return g.concat([g.narrow(remembered, 2, 0, 1), bg], 2);
}

export function buildMemoryAttention(): GraphBuilder {
  const g = new GraphBuilder('reference_memory_attention');
  const { hiddenDim: C, featureSize: H, memoryDim: Cm, memorySize: Hm } = REF;
  const curr = g.input('currFeatures', [1, C, H, H]);
  g.input('currPosEnc', [1, C, H, H]);
  const memory = g.input('memory', ['B', 'Nm', Cm]);
  const memPos = g.input('memoryPosEnc', ['B', 'Nm', Cm]);
  g.input('objPtrs', ['B', 'Np', C]);
  g.input('objPtrPosEnc', ['B', 'Np', Cm]);

  const frames = g.reshape(memory, [0, -1, Hm * Hm, Cm]); // [B, F, 256, Cm]
  const framePos = g.narrow(g.reshape(memPos, [0, -1, Hm * Hm, Cm]), 2, 0, 1); // [B, F, 1, Cm]
  const posChannel = (ch: number) => g.narrow(framePos, 3, ch, ch + 1); // [B, F, 1, 1]

  const model = g.scope('histograms', () => {
    const hists = g.narrow(g.narrow(frames, 2, 0, K), 3, MEM.fgHist, MEM.bgHist + 1); // [B, F, K, 2]
    const mass = g.reduceSum(hists, [2]); // [B, F, 1, 2]
    const dist = g.div(hists, g.add(mass, 1e-6));
    const presence = g.div(mass, g.add(mass, ATTN.presenceMass));
    const w = g.mul(g.exp(posChannel(MEMPOS.temporalBias)), presence); // [B, F, 1, 2]
    const remembered = g.div(g.reduceSum(g.mul(dist, w), [1], false), g.add(g.reduceSum(w, [1], false), 1e-6)); // [B, K, 2]
    const p =
      ATTN.lostFrameBackground > 0
        ? withFrameBackgroundWhenLost(g, remembered, presence, curr, posChannel)
        : remembered;
    const logp = g.log(g.add(p, ATTN.histEpsilon));
    const llr = g.clip(g.sub(g.narrow(logp, 2, 0, 1), g.narrow(logp, 2, 1, 2)), -ATTN.llrClip, ATTN.llrClip); // [B, K, 1]
    const fgPresence = g.narrow(presence, 3, 0, 1); // [B, F, 1, 1]
    const hasModel = g.clip(g.mul(g.reduceSum(fgPresence, [1]), 4), 0, 1); // [B, 1, 1, 1]
    return { llr, p, fgPresence, hasModel };
  });

  const prior = g.scope('prior', () => {
    const recency = recencyWeights(g, posChannel);
    const p = 4;
    const packed = g.reshape(g.narrow(frames, 3, MEM.mask, MEM.mask + p * p), [0, -1, Hm, Hm, p, p]); // [B, F, i, j, dy, dx]
    const masks = g.reshape(g.transpose(packed, [0, 1, 2, 4, 3, 5]), [0, -1, Hm * p, Hm * p]); // [B, F, 64, 64]
    const latestPresent = g.reduceSum(g.mul(model.fgPresence, recency), [1]); // [B, 1, 1, 1]
    const colourPacked = g.narrow(frames, 3, MEM.appearance, MEM.appearance + 12); // [B, F, 256, 12]
    const currColour = g.narrow(curr, 1, VISION.appearance, VISION.appearance + 3);
    const warpFrom = (weights: Value) => {
      const mask = g.reduceSum(g.mul(masks, weights), [1]); // [B, 1, 64, 64]
      const colour = g.reduceSum(g.mul(colourPacked, g.reshape(weights, [0, -1, 1, 1])), [1], false); // [B, 256, 12]
      const prevColour = g.depthToSpace(g.reshape(g.transpose(colour, [0, 2, 1]), [0, 12, Hm, Hm]), 2); // [B, 3, 32, 32]
      return motionCompensate(g, mask, prevColour, currColour);
    };
    const motion = g.scope('motion', () => warpFrom(recency));
    const latest = motion.warped;
    // Signed distance-like prior in [-1, 1]: mean of the mask, its dilations and its erosions, minus 1.
    // Dilations by growing square kernels, each from the previous one by a separable max-pool
    // (k_i = k_{i-1} + step - 1), for the mask and its complement at once.
    const both = g.concat([latest, g.sub(1, latest)], 1); // [B, 2, 64, 64]
    const grown: Value[] = [];
    let current = both;
    let size = 1;
    for (const k of ATTN.priorKernels) {
      const step = k - size + 1;
      const p = (step - 1) / 2;
      current = g.maxPool(g.maxPool(current, { kernel: [step, 1], pads: [p, 0, p, 0] }), {
        kernel: [1, step],
        pads: [0, p, 0, p],
      });
      grown.push(current);
      size = k;
    }
    const dilations = g.narrow(g.sum(...grown), 1, 0, 1);
    const erosions = g.sub(ATTN.priorKernels.length, g.narrow(g.sum(...grown), 1, 1, 2));
    const parts = [latest, latest, dilations, erosions];
    // Past the largest dilation D saturates at -1; a colour match there would otherwise win over the
    // prior and the mask would jump to a look-alike elsewhere and stay (the memory learns it). So D
    // keeps falling to -1 - farWeight beyond a wider dilation.
    const farStep = ATTN.farKernel - size + 1;
    const farPad = (farStep - 1) / 2;
    const near = g.maxPool(
      g.maxPool(g.narrow(current, 1, 0, 1), { kernel: [farStep, 1], pads: [farPad, 0, farPad, 0] }),
      { kernel: [1, farStep], pads: [0, farPad, 0, farPad] },
    );
    const far = g.mul(g.sub(1, near), ATTN.farWeight);
    const d = g.sub(g.sub(g.mul(g.sum(...parts), 1 / (ATTN.priorKernels.length + 1)), 1), far);
    const dEff = g.add(g.mul(d, latestPresent), g.mul(g.sub(1, latestPresent), ATTN.lostPrior));
    return { d: dEff, explained: motion.explained };
  });

  const local = g.scope('local', () =>
    localScore(g, prior.d, g.narrow(curr, 1, VISION.bins, VISION.bins + 4 * K), model.p, model.llr),
  );

  const llrMap = g.reshape(g.pad(model.llr, [0, 0, 0, 0, H * H - K, 0]), [0, 1, H, H]);
  const hasModelMap = g.expand(model.hasModel, g.concat([g.shape(memory, 0, 1), g.constI64([1, H, H])], 0));
  const out = g.concat(
    [spaceToDepth2(g, prior.d, 1, H), llrMap, hasModelMap, spaceToDepth2(g, local, 1, H), prior.explained],
    1,
  ); // [B, 11, 32, 32]
  if (FEAT.prior !== 0 || FEAT.llr !== 4 || FEAT.hasModel !== 5 || FEAT.local !== 6 || FEAT.explained !== 10)
    throw new Error('feature layout drifted from the concat order');
  g.output('conditionedFeatures', g.pad(out, [0, 0, 0, 0, 0, C - 11, 0, 0]), ['B', C, H, H]);
  return g;
}
