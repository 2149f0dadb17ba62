import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MaskletConfig } from './config';
import { projectRoot } from './project-root';

/** The reference model's manifest, written by `npm run models:reference` (bootstrap and the image build run it). */
export function referenceManifestPath(): string {
  return join(projectRoot(), 'models', 'reference', 'manifest.json');
}

/** MASKLET_MODEL, or the generated reference model; fails naming the command when neither exists. */
export function modelManifestPath(config: Pick<MaskletConfig, 'MASKLET_MODEL'>): string {
  const path = config.MASKLET_MODEL ?? referenceManifestPath();
  if (!existsSync(path)) {
    throw new Error(
      config.MASKLET_MODEL
        ? `MASKLET_MODEL=${path} does not exist`
        : `no model: ${path} is missing; run \`npm run models:reference\` or set MASKLET_MODEL`,
    );
  }
  return path;
}
