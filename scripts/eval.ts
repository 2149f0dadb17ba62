/**
 * npm run eval -- <davis-dir> [--model <manifest>] [--prompt mask|click] [--frame-step k] [--loo [--variants a,b,...]]
 * Prints J and F per sequence; the last line is `J&F <mean>` (mean of the J and F means).
 * --frame-step k: the engine sees every k-th frame only (k times faster motion), scored on those frames.
 * --loo: the shipped reference model and its variants (models/generator/reference/variants.ts) are
 * generated and evaluated; each sequence is scored by the variant that is best on the other
 * sequences. Prints every fold and the worst sequence; the last line is the held-out mean `J&F <mean>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SamModel, parseProviders, ProviderName } from '@masklet/engine';
import {
  DavisSequence,
  evaluateSequence,
  leaveOneOut,
  listDavisSequences,
  PromptKind,
  SettingScores,
} from '@masklet/evaluation';
import { ensureModel } from '../models/generator/ensure-model';
import { referenceModel } from '../models/generator/reference/build';
import { findVariant, REFERENCE_VARIANTS, ReferenceVariant, withVariant } from '../models/generator/reference/variants';
import { generatorSourceHash } from '../models/generator/source-hash';
import { writeModel } from '../models/generator/write-model';

/** Evaluates every sequence, printing one line each; returns J&F per sequence and the J / F means. */
async function evaluateAll(
  model: SamModel,
  sequences: DavisSequence[],
  prompt: PromptKind,
  frameStep: number,
  prefix = '',
): Promise<{ perSequence: Map<string, number>; meanJ: number; meanF: number }> {
  const perSequence = new Map<string, number>();
  let sumJ = 0;
  let sumF = 0;
  for (const seq of sequences) {
    const r = await evaluateSequence(model, seq, prompt, frameStep);
    sumJ += r.J;
    sumF += r.F;
    perSequence.set(r.name, (r.J + r.F) / 2);
    console.log(
      `${prefix}${r.name.padEnd(20)} J ${r.J.toFixed(4)}  F ${r.F.toFixed(4)}  frames ${r.frames}  ${(r.frames / r.seconds).toFixed(1)} fps`,
    );
  }
  return { perSequence, meanJ: sumJ / sequences.length, meanF: sumF / sequences.length };
}

async function leaveOneOutOverVariants(
  sequences: DavisSequence[],
  prompt: PromptKind,
  variants: readonly ReferenceVariant[],
  providers: ProviderName[],
  frameStep: number,
): Promise<void> {
  const settings: SettingScores[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'masklet-loo-'));
  const width = Math.max(...variants.map((v) => v.name.length)) + 1;
  try {
    for (const variant of variants) {
      const modelDir = join(dir, variant.name);
      withVariant(variant, () => writeModel(modelDir, referenceModel(), generatorSourceHash()));
      const model = await SamModel.load(join(modelDir, 'manifest.json'), { runtime: { providers } });
      try {
        const prefix = `${variant.name.padEnd(width)} `;
        const { perSequence, meanJ, meanF } = await evaluateAll(model, sequences, prompt, frameStep, prefix);
        console.log(`${prefix}J&F ${((meanJ + meanF) / 2).toFixed(4)}  (${variant.means})`);
        settings.push({ setting: variant.name, scores: perSequence });
      } finally {
        await model.release();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report = leaveOneOut(settings);
  for (const f of report.folds)
    console.log(
      `held out ${f.heldOut.padEnd(20)} chosen ${f.chosen.padEnd(width)} J&F on the others ${f.trainScore.toFixed(4)}  held out ${f.heldOutScore.toFixed(4)}`,
    );
  console.log(
    `leave-one-out  prompt ${prompt}${stepLabel(frameStep)}  sequences ${sequences.length}  variants ${variants.length}  worst ${report.worst.heldOut} ${report.worst.heldOutScore.toFixed(4)}`,
  );
  console.log(`J&F ${report.mean.toFixed(4)}`);
}

function stepLabel(frameStep: number): string {
  return frameStep > 1 ? `  frame step ${frameStep}` : '';
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      prompt: { type: 'string', default: 'mask' },
      providers: { type: 'string', default: process.env.MASKLET_PROVIDERS ?? 'cpu' },
      'frame-step': { type: 'string', default: '1' },
      loo: { type: 'boolean', default: false },
      variants: { type: 'string', default: REFERENCE_VARIANTS.map((v) => v.name).join(',') },
    },
  });
  const root = positionals[0];
  if (!root)
    throw new Error(
      'usage: npm run eval -- <davis-dir> [--model <manifest>] [--prompt mask|click] [--frame-step k] [--loo [--variants a,b]]',
    );
  const prompt = values.prompt as PromptKind;
  if (prompt !== 'mask' && prompt !== 'click') throw new Error(`--prompt must be mask or click, got ${values.prompt}`);
  const frameStep = Number(values['frame-step']);
  if (!Number.isInteger(frameStep) || frameStep < 1)
    throw new Error(`--frame-step must be a positive integer, got ${values['frame-step']}`);
  const providers = parseProviders(values.providers);
  const sequences = await listDavisSequences(root);
  if (values.loo) {
    if (values.model) throw new Error('--loo generates reference-model variants; it takes no --model');
    const variants = values.variants.split(',').map((name) => findVariant(name.trim()));
    await leaveOneOutOverVariants(sequences, prompt, variants, providers, frameStep);
    return;
  }
  const manifest = values.model ?? (await ensureModel('reference'));
  const model = await SamModel.load(manifest, { runtime: { providers } });
  const { meanJ, meanF } = await evaluateAll(model, sequences, prompt, frameStep);
  console.log(
    `model ${model.manifest.name}  prompt ${prompt}${stepLabel(frameStep)}  sequences ${sequences.length}  J ${meanJ.toFixed(4)}  F ${meanF.toFixed(4)}`,
  );
  console.log(`J&F ${((meanJ + meanF) / 2).toFixed(4)}`);
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
