/**
 * npm run eval -- <davis-dir> [--model <manifest>] [--prompt mask|click]
 * Prints J and F per sequence; the last line is `J&F <mean>` (mean of the J and F means).
 */
import { parseArgs } from 'node:util';
import { SamModel, parseProviders } from '@masklet/engine';
import { evaluateSequence, listDavisSequences, PromptKind } from '@masklet/evaluation';
import { ensureModel } from '../models/generator/ensure-model';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      prompt: { type: 'string', default: 'mask' },
      providers: { type: 'string', default: process.env.MASKLET_PROVIDERS ?? 'cpu' },
    },
  });
  const root = positionals[0];
  if (!root) throw new Error('usage: npm run eval -- <davis-dir> [--model <manifest>] [--prompt mask|click]');
  const prompt = values.prompt as PromptKind;
  if (prompt !== 'mask' && prompt !== 'click') throw new Error(`--prompt must be mask or click, got ${values.prompt}`);
  const manifest = values.model ?? (await ensureModel('reference'));
  const model = await SamModel.load(manifest, { runtime: { providers: parseProviders(values.providers) } });
  const sequences = await listDavisSequences(root);
  let sumJ = 0;
  let sumF = 0;
  for (const seq of sequences) {
    const r = await evaluateSequence(model, seq, prompt);
    sumJ += r.J;
    sumF += r.F;
    console.log(
      `${r.name.padEnd(20)} J ${r.J.toFixed(4)}  F ${r.F.toFixed(4)}  frames ${r.frames}  ${(r.frames / r.seconds).toFixed(1)} fps`,
    );
  }
  const meanJ = sumJ / sequences.length;
  const meanF = sumF / sequences.length;
  console.log(
    `model ${model.manifest.name}  prompt ${prompt}  sequences ${sequences.length}  J ${meanJ.toFixed(4)}  F ${meanF.toFixed(4)}`,
  );
  console.log(`J&F ${((meanJ + meanF) / 2).toFixed(4)}`);
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
