/** Mask prompts as SAM2VideoPredictor.add_new_mask takes them: resized to the input square, presence decided there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureModel } from '../../../models/generator/ensure-model';
import { SamModel, VideoSession } from '../src';
import { clip, iouWithTruth, referenceModel, truthMask } from './support';

/** The reference model with some tracking options changed (same graphs). */
async function variant(tracking: Record<string, boolean>): Promise<SamModel> {
  const path = await ensureModel('reference');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  for (const spec of Object.values<{ file: string }>(manifest.roles)) spec.file = resolve(dirname(path), spec.file);
  manifest.tracking = { ...manifest.tracking, ...tracking };
  const out = join(mkdtempSync(join(tmpdir(), 'masklet-variant-')), 'manifest.json');
  writeFileSync(out, JSON.stringify(manifest));
  return SamModel.load(out);
}

// 1024 x 768 against the reference model's 512 square: every mask is shrunk.
const source = () => clip({ width: 1024, height: 768, frames: 3 });

function speck(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(width * height);
  data[300 * width + 400] = 1;
  return { width, height, data };
}

test('a mask that vanishes in the resize to the input square is an absent object, with the no-object pointer', async () => {
  const model = await referenceModel();
  const src = source();
  const session = new VideoSession(model, src);
  const absent = await session.addMask(0, 1, speck(1024, 768));
  assert.equal(absent.objects[0]!.objectScore, -10);
  assert.equal(absent.objects[0]!.area, 0);
  // fixedNoObjPtr: lambda 0 scales the pointer away entirely.
  assert.deepEqual([...session.tracks.get(1)!.tempCond.get(0)!.objPtr], [...model.constants.noObjPtr]);
  const present = await session.addMask(0, 2, truthMask(src, 0, 2));
  assert.equal(present.objects[1]!.objectScore, 10);
  assert.ok(iouWithTruth(src, 0, present.objects[1]!) > 0.95, 'the shrunk mask comes back at video resolution');
  await session.close();
});

test('without fixedNoObjPtr the absent pointer keeps the decoder pointer plus the no-object pointer', async () => {
  const model = await variant({ fixedNoObjPtr: false });
  const session = new VideoSession(model, source());
  await session.addMask(0, 1, speck(1024, 768));
  const ptr = session.tracks.get(1)!.tempCond.get(0)!.objPtr;
  const noObj = model.constants.noObjPtr;
  assert.ok(
    ptr.some((v, k) => Math.abs(v - noObj[k]!) > 1e-6),
    'the decoder pointer is not scaled away',
  );
  await session.close();
  await model.release();
});

test('without useMaskInputAsOutputWithoutSam the mask is a dense prompt of the decoder', async () => {
  const model = await variant({ useMaskInputAsOutputWithoutSam: false });
  const src = source();
  const session = new VideoSession(model, src);
  const result = await session.addMask(0, 1, truthMask(src, 0, 1));
  const score = result.objects[0]!.objectScore;
  assert.ok(score !== 10 && score !== -10, `the decoder's object score, not the mask's (${score})`);
  // The mask reaches the decoder as its dense prompt: another mask gives another output.
  const other = await session.addMask(0, 2, truthMask(src, 0, 2));
  assert.notDeepEqual(other.objects[1]!.rle.counts, result.objects[0]!.rle.counts);
  assert.notEqual(other.objects[1]!.objectScore, score);
  await session.close();
  await model.release();
});
