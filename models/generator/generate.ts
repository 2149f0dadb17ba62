/**
 * CLI: generate the reference model (default) and / or the SAM 2.1-tiny-shaped random graphs.
 *   tsx models/generator/generate.ts                 -> models/reference/
 *   tsx models/generator/generate.ts --shape-test    -> models/sam21-tiny-shaped/
 *   tsx models/generator/generate.ts --all           -> both
 *   --out DIR writes a single model elsewhere.
 */
import { parseArgs } from 'node:util';
import { generateModel, ModelKind } from './models';

function main(): void {
  const { values } = parseArgs({
    options: {
      'shape-test': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const kinds: ModelKind[] = values.all ? ['reference', 'sam21-tiny-shaped'] : values['shape-test'] ? ['sam21-tiny-shaped'] : ['reference'];
  if (values.out && kinds.length > 1) throw new Error('--out takes a single model');
  for (const kind of kinds) {
    const t0 = performance.now();
    const written = values.out ? generateModel(kind, values.out) : generateModel(kind);
    const ms = performance.now() - t0;
    console.log(`${kind}: ${written.manifestPath} (${ms.toFixed(0)} ms)`);
    for (const f of written.files) console.log(`  ${f.role.padEnd(16)} ${f.file.padEnd(24)} ${(f.bytes / 1024).toFixed(1).padStart(10)} KiB  ${f.sha256.slice(0, 12)}`);
  }
}

main();
