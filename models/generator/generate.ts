/**
 * CLI: generate the reference model (default) and / or the SAM 2.1-tiny-shaped random graphs.
 *   tsx models/generator/generate.ts                 -> models/reference/
 *   tsx models/generator/generate.ts --shape-test    -> models/sam21-tiny-shaped/
 *   tsx models/generator/generate.ts --all           -> both
 *   --out DIR writes a single model elsewhere.
 *   --if-stale regenerates only a model whose manifest, graphs or generator sources changed (bootstrap uses it).
 */
import { parseArgs } from 'node:util';
import { ensureModel } from './ensure-model';
import { generateModel, ModelKind } from './models';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'shape-test': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      out: { type: 'string' },
      'if-stale': { type: 'boolean', default: false },
    },
  });
  const kinds: ModelKind[] = values.all
    ? ['reference', 'sam21-tiny-shaped']
    : values['shape-test']
      ? ['sam21-tiny-shaped']
      : ['reference'];
  if (values.out && kinds.length > 1) throw new Error('--out takes a single model');
  if (values['if-stale']) {
    if (values.out) throw new Error('--if-stale writes to the default model folders only');
    for (const kind of kinds) console.log(`${kind}: ${await ensureModel(kind)}`);
    return;
  }
  for (const kind of kinds) {
    const t0 = performance.now();
    const written = values.out ? generateModel(kind, values.out) : generateModel(kind);
    const ms = performance.now() - t0;
    console.log(`${kind}: ${written.manifestPath} (${ms.toFixed(0)} ms)`);
    for (const f of written.files)
      console.log(
        `  ${f.role.padEnd(16)} ${f.file.padEnd(24)} ${(f.bytes / 1024).toFixed(1).padStart(10)} KiB  ${f.sha256.slice(0, 12)}`,
      );
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
