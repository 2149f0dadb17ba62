import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { SamModel } from '@masklet/engine';
import { writeSyntheticClip } from '@masklet/video';
import { evaluateSequence } from '../src';
import { ensureModel } from '../../../models/generator/ensure-model';

test('frame step k: the engine sees frames 0, k, 2k, ... and each is scored against its own ground truth', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'masklet-frame-step-'));
  const model = await SamModel.load(await ensureModel('reference'));
  try {
    await writeSyntheticClip({ outDir: dir, frames: 12, seed: 5 });
    const objectDir = join(dir, 'masks', (await readdir(join(dir, 'masks'))).sort()[0]!);
    const files = (await readdir(objectDir)).sort().map((f) => join(objectDir, f));
    // Ground truth off the multiples of 3 is blanked: only a run that scores frame i against truth 3i keeps J.
    const { width, height } = await sharp(files[0]).metadata();
    const blank = await sharp(Buffer.alloc(width * height), { raw: { width, height, channels: 1 } })
      .png()
      .toBuffer();
    for (const [i, f] of files.entries()) if (i % 3 !== 0) await writeFile(f, blank);
    const seq = { name: 'synthetic', framesDir: join(dir, 'frames'), maskFiles: files };

    const strided = await evaluateSequence(model, seq, 'mask', 3);
    const every = await evaluateSequence(model, seq, 'mask', 1);
    assert.equal(strided.frames, 4);
    assert.equal(every.frames, 12);
    assert.ok(strided.J > 0.8, `frames 0, 3, 6, 9 against their own truth: J ${strided.J}`);
    // Scored on every frame, at most 3 of the 10 frames the mean counts (first and last out) keep their truth.
    assert.ok(every.J < strided.J / 2, `every frame against the blanked truth: J ${every.J}`);
    assert.equal(strided.perFrame[0]!.J, every.perFrame[0]!.J, 'the prompted frame is the same frame in both runs');
  } finally {
    await model.release();
    await rm(dir, { recursive: true, force: true });
  }
});
