/**
 * The reference model really segments and tracks: clicks, boxes, negative clicks, mask prompts,
 * memory propagation, object absence and a short tracked sequence, on synthetic scenes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { maskToInputSquare } from '../../../libs/engine/src/session/mask-prompt';
import { data, f32 } from '../testing/ort-run';
import { MiniTracker } from '../testing/mini-tracker';
import { addNoMem, attend, decode, encodeImage, encodeMemory, memoryTokens } from '../testing/pipeline';
import { DIMS, Fixture, image, openReference, RED } from '../testing/reference-fixture';
import { Disc, discMask, iouOfLogits } from '../testing/scene';

let fx: Fixture;
before(async () => {
  fx = await openReference();
});
after(async () => fx?.close());

const L2 = DIMS.L * DIMS.L;
const disc: Disc = { cx: 200, cy: 260, r: 60, rgb: RED };

function bestMultimask(iou: Float32Array): number {
  let t = 1;
  for (let k = 2; k <= 3; k++) if (iou[k]! > iou[t]!) t = k;
  return t;
}

async function firstFrame(discs: Disc[], points: [number, number][], labels: number[], maskInput?: Float32Array) {
  const enc = await encodeImage(fx.sessions, image(discs), DIMS);
  const features = addNoMem(enc.visionFeatures, fx.consts.noMem, 1, DIMS);
  const out = await decode(fx.sessions, enc, features, [{ points, labels }], DIMS, maskInput);
  return { enc, out, masks: data(out.masks), iou: data(out.iouPredictions) };
}

test('a click inside a solid disc on a textured background segments the disc', async () => {
  const { out, masks, iou } = await firstFrame([disc], [[215, 245]], [1]);
  const truth = discMask(disc, DIMS.L, DIMS.S);
  const best = bestMultimask(iou);
  assert.ok(
    iouOfLogits(masks, best * L2, truth) > 0.8,
    `best multimask token IoU ${iouOfLogits(masks, best * L2, truth)}`,
  );
  assert.ok(iouOfLogits(masks, 0, truth) > 0.8, `token 0 IoU ${iouOfLogits(masks, 0, truth)}`);
  assert.ok(data(out.objectScoreLogits)[0]! > 0, 'object present');
  const ptr = data(out.objPtrs);
  assert.ok(ptr[best * DIMS.C]! > 0.9, 'pointer presence');
});

test('batched objects decode exactly as they do one at a time', async () => {
  const blue: Disc = { cx: 380, cy: 150, r: 50, rgb: [0.2, 0.5, 0.9] };
  const enc = await encodeImage(fx.sessions, image([disc, blue]), DIMS);
  const prompts = [
    { points: [[215, 245]] as [number, number][], labels: [1] },
    {
      points: [
        [380, 150],
        [300, 300],
      ] as [number, number][],
      labels: [1, 0],
    },
  ];
  const batched = await decode(fx.sessions, enc, addNoMem(enc.visionFeatures, fx.consts.noMem, 2, DIMS), prompts, DIMS);
  for (let b = 0; b < 2; b++) {
    const single = await decode(
      fx.sessions,
      enc,
      addNoMem(enc.visionFeatures, fx.consts.noMem, 1, DIMS),
      [prompts[b]!],
      DIMS,
    );
    const a = data(batched.masks).subarray(b * 4 * L2, (b + 1) * 4 * L2);
    const s = data(single.masks);
    let maxDiff = 0;
    for (let i = 0; i < s.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - s[i]!));
    assert.ok(maxDiff < 1e-2, `object ${b}: max logit difference ${maxDiff}`); // float reassociation only
  }
  assert.ok(
    iouOfLogits(data(batched.masks), 4 * L2, discMask(blue, DIMS.L, DIMS.S)) > 0.8,
    'second object segments the blue disc',
  );
});

test('a box around the disc segments it', async () => {
  const { masks } = await firstFrame(
    [disc],
    [
      [130, 190],
      [270, 330],
    ],
    [2, 3],
  );
  const truth = discMask(disc, DIMS.L, DIMS.S);
  assert.ok(iouOfLogits(masks, 0, truth) > 0.8, `box IoU ${iouOfLogits(masks, 0, truth)}`);
});

test('a negative click carves a same-coloured neighbour out of the region', async () => {
  const left: Disc = { cx: 180, cy: 256, r: 50, rgb: RED };
  const right: Disc = { cx: 270, cy: 256, r: 50, rgb: RED }; // overlapping: one red blob
  const truthLeft = discMask(left, DIMS.L, DIMS.S);
  const single = await firstFrame([left, right], [[170, 256]], [1]);
  const both = await firstFrame(
    [left, right],
    [
      [170, 256],
      [285, 256],
    ],
    [1, 0],
  );
  const before = iouOfLogits(single.masks, 0, truthLeft);
  const afterNeg = iouOfLogits(both.masks, 0, truthLeft);
  assert.ok(afterNeg > before + 0.2, `negative click: IoU with the left disc ${before} -> ${afterNeg}`);
  assert.ok(afterNeg > 0.7, `left disc IoU ${afterNeg}`);
});

test('a second click refines with the previous logits as mask input', async () => {
  const first = await firstFrame([disc], [[215, 245]], [1]);
  const prev = first.masks.slice(0, L2);
  const refined = await firstFrame(
    [disc],
    [
      [215, 245],
      [400, 100],
    ],
    [1, 1],
    prev,
  );
  const truth = discMask(disc, DIMS.L, DIMS.S);
  // the second positive click adds the region around (400, 100) and keeps the disc
  const masks = refined.masks;
  assert.ok(masks[Math.floor(100 / 4) * DIMS.L + Math.floor(400 / 4)]! > 0, 'clicked pixel becomes foreground');
  let kept = 0;
  let total = 0;
  truth.forEach((m, i) => {
    if (m) {
      total++;
      if (masks[i]! > 0) kept++;
    }
  });
  assert.ok(kept / total > 0.9, `disc kept (${kept}/${total})`);
});

test('a mask prompt round-trips and the decoder reproduces it from the mask input', async () => {
  const Hv = 360;
  const Wv = 480;
  const vDisc: Disc = { cx: 240, cy: 180, r: 80, rgb: RED };
  const mask = new Uint8Array(Hv * Wv);
  for (let y = 0; y < Hv; y++)
    for (let x = 0; x < Wv; x++)
      mask[y * Wv + x] = (x + 0.5 - vDisc.cx) ** 2 + (y + 0.5 - vDisc.cy) ** 2 <= vDisc.r ** 2 ? 1 : 0;
  const square = maskToInputSquare({ width: Wv, height: Hv, data: mask }, DIMS.S);
  const mp = await fx.sessions.maskPrompt!.run({ mask: f32(square.values, [1, 1, DIMS.S, DIMS.S]) });
  // the same disc in input-square coordinates (an ellipse; compare on the L grid)
  const truth = new Uint8Array(L2);
  for (let i = 0; i < DIMS.L; i++) {
    for (let j = 0; j < DIMS.L; j++) {
      const x = ((j + 0.5) / DIMS.L) * Wv;
      const y = ((i + 0.5) / DIMS.L) * Hv;
      truth[i * DIMS.L + j] = (x - vDisc.cx) ** 2 + (y - vDisc.cy) ** 2 <= vDisc.r ** 2 ? 1 : 0;
    }
  }
  const lowRes = data(mp.lowResLogits);
  assert.ok(iouOfLogits(lowRes, 0, truth) > 0.95, `lowResLogits IoU ${iouOfLogits(lowRes, 0, truth)}`);
  const { masks, out } = await firstFrame([], [[0, 0]], [-1], data(mp.maskForPointer));
  assert.ok(iouOfLogits(masks, 0, truth) > 0.95, 'decoder with mask input only reproduces it');
  assert.ok(data(out.objPtrs)[0]! > 0.9, 'pointer presence');
});

async function memoryOf(discs: Disc[], truth: Uint8Array, score: number) {
  const enc = await encodeImage(fx.sessions, image(discs, 7), DIMS);
  const logits = Float32Array.from(truth, (m) => (m ? 10 : -10));
  const mem = await encodeMemory(fx.sessions, enc, logits, Float32Array.of(score), true, DIMS);
  const row = fx.consts.tpos.subarray((DIMS.numMaskmem - 1) * DIMS.Cm, DIMS.numMaskmem * DIMS.Cm); // conditioning frame
  return memoryTokens(mem.memoryFeatures!, mem.memoryPosEnc!, row, DIMS);
}

async function trackInto(discs: Disc[], memory: { tokens: Float32Array; posTokens: Float32Array }, seed: number) {
  const enc = await encodeImage(fx.sessions, image(discs, seed), DIMS);
  const conditioned = await attend(
    fx.sessions,
    enc,
    memory.tokens,
    memory.posTokens,
    new Float32Array(0),
    new Float32Array(0),
    1,
    DIMS,
  );
  const out = await decode(fx.sessions, enc, conditioned, [{ points: [[0, 0]], labels: [-1] }], DIMS);
  return { masks: data(out.masks), iou: data(out.iouPredictions), score: data(out.objectScoreLogits)[0]! };
}

test('memory of frame A propagates the mask to frame B where the disc moved', async () => {
  const memory = await memoryOf([disc], discMask(disc, DIMS.L, DIMS.S), 10);
  const moved: Disc = { ...disc, cx: disc.cx + 12, cy: disc.cy + 7 };
  const { masks, iou, score } = await trackInto([moved], memory, 8);
  const truth = discMask(moved, DIMS.L, DIMS.S);
  const best = bestMultimask(iou);
  assert.ok(iouOfLogits(masks, best * L2, truth) > 0.8, `tracked IoU ${iouOfLogits(masks, best * L2, truth)}`);
  assert.ok(iouOfLogits(masks, 0, truth) > 0.8, `token 0 IoU ${iouOfLogits(masks, 0, truth)}`);
  assert.ok(score > 0, 'object present');
});

test('an object that left the frame is reported absent', async () => {
  const memory = await memoryOf([disc], discMask(disc, DIMS.L, DIMS.S), 10);
  const { score } = await trackInto([], memory, 8);
  assert.ok(score <= 0, `objectScoreLogits ${score}`);
});

test('an absent-object memory (score <= 0) propagates nothing', async () => {
  const memory = await memoryOf([disc], discMask(disc, DIMS.L, DIMS.S), -5);
  const { score } = await trackInto([disc], memory, 8);
  assert.ok(score <= 0, `objectScoreLogits ${score}`);
});

test('tracks a moving disc past a distractor over 12 frames', async () => {
  const tracker = new MiniTracker(fx.sessions, DIMS, fx.consts);
  const target = (f: number): Disc => ({ cx: 120 + 12 * f, cy: 200 + 4 * f, r: 45, rgb: RED });
  const distractor = (f: number): Disc => ({ cx: 420 - 6 * f, cy: 380, r: 40, rgb: [0.2, 0.5, 0.9] });
  for (let f = 0; f < 12; f++) {
    const img = image([distractor(f), target(f)], 100 + f);
    const t = target(f);
    const step =
      f === 0 ? await tracker.prompt(0, img, { points: [[t.cx, t.cy]], labels: [1] }) : await tracker.track(f, img);
    const iou = iouOfLogits(step.logits, 0, discMask(t, DIMS.L, DIMS.S));
    assert.ok(iou > 0.8, `frame ${f}: IoU ${iou}`);
    assert.ok(step.score > 0, `frame ${f}: present`);
  }
});

test('an object hidden for a few frames is reported absent, then found again where it reappears', async () => {
  const tracker = new MiniTracker(fx.sessions, DIMS, fx.consts);
  const target = (f: number): Disc => ({ cx: 110 + 16 * f, cy: 250, r: 45, rgb: RED });
  const hidden = (f: number) => f >= 6 && f <= 10;
  const ious: number[] = [];
  for (let f = 0; f < 16; f++) {
    const t = target(f);
    const img = image(hidden(f) ? [] : [t], 300 + f);
    const step =
      f === 0 ? await tracker.prompt(0, img, { points: [[t.cx, t.cy]], labels: [1] }) : await tracker.track(f, img);
    if (hidden(f)) assert.ok(step.score <= 0, `frame ${f} (hidden): objectScoreLogits ${step.score}`);
    else if (f > 11) ious.push(iouOfLogits(step.logits, 0, discMask(t, DIMS.L, DIMS.S)));
  }
  assert.ok(Math.min(...ious) > 0.8, `IoU after it reappears: ${ious.map((v) => v.toFixed(2)).join(' ')}`);
});

test('a same-coloured distractor elsewhere is not captured while the object is tracked', async () => {
  const tracker = new MiniTracker(fx.sessions, DIMS, fx.consts);
  const target = (f: number): Disc => ({ cx: 120 + 8 * f, cy: 150, r: 45, rgb: RED });
  const twin: Disc = { cx: 380, cy: 400, r: 45, rgb: RED };
  const twinMask = discMask(twin, DIMS.L, DIMS.S);
  for (let f = 0; f < 6; f++) {
    const t = target(f);
    const img = image([t, twin], 400 + f);
    const step =
      f === 0 ? await tracker.prompt(0, img, { points: [[t.cx, t.cy]], labels: [1] }) : await tracker.track(f, img);
    let onTwin = 0;
    twinMask.forEach((m, i) => (onTwin += m && step.logits[i]! > 0 ? 1 : 0));
    assert.equal(onTwin, 0, `frame ${f}: ${onTwin} twin pixels in the mask`);
    assert.ok(iouOfLogits(step.logits, 0, discMask(t, DIMS.L, DIMS.S)) > 0.8, `frame ${f}: target IoU`);
  }
});
