/**
 * A hash of the generator's own sources (this folder and libs/onnx-builder), recorded in each
 * manifest's description so that ensureModel regenerates a model whose generator has changed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

function sources(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

export function generatorSourceHash(): string {
  const hash = createHash('sha256');
  for (const dir of [resolve(__dirname), join(REPO_ROOT, 'libs', 'onnx-builder', 'src')]) {
    for (const file of sources(dir, [])) {
      hash.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}
