import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MaskletConfig } from './config';
import { modelManifestPath } from './model-manifest';

export interface InstalledModel {
  /** The manifest's `name`: what a job's `model` names and what queues and checkpoints are keyed by. */
  name: string;
  manifestPath: string;
}

/** The models a deployment has installed: what jobs may name, what workers may serve. */
export interface ModelRegistry {
  readonly models: readonly InstalledModel[];
  readonly names: readonly string[];
  readonly defaultModel: string;
  get(name: string): InstalledModel | undefined;
}

type RegistryConfig = Pick<MaskletConfig, 'MASKLET_MODEL' | 'MASKLET_MODELS' | 'MASKLET_DEFAULT_MODEL'>;

function manifestName(path: string): string {
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
  } catch (err) {
    throw new Error(`MASKLET_MODELS: cannot read ${path} (${(err as Error).message})`);
  }
  if (typeof name !== 'string' || !name) throw new Error(`MASKLET_MODELS: ${path} has no manifest name`);
  return name;
}

/**
 * The one list of installed models, read from MASKLET_MODELS (manifest paths; unset: MASKLET_MODEL or
 * the reference model) with each name taken from its manifest. Fails at startup on an unreadable
 * manifest, two manifests of one name, or a default that is not installed.
 */
export function loadModelRegistry(config: RegistryConfig): ModelRegistry {
  const paths = config.MASKLET_MODELS
    ? config.MASKLET_MODELS.split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => resolve(p))
    : [modelManifestPath(config)];
  if (paths.length === 0) throw new Error('MASKLET_MODELS lists no manifest');
  const models: InstalledModel[] = [];
  for (const manifestPath of paths) {
    const name = manifestName(manifestPath);
    const dup = models.find((m) => m.name === name);
    if (dup) throw new Error(`MASKLET_MODELS: ${dup.manifestPath} and ${manifestPath} are both named ${name}`);
    models.push({ name, manifestPath });
  }
  const names = models.map((m) => m.name);
  const defaultModel = config.MASKLET_DEFAULT_MODEL ?? names[0]!;
  if (!names.includes(defaultModel)) {
    throw new Error(`MASKLET_DEFAULT_MODEL=${defaultModel} is not installed; installed: ${names.join(', ')}`);
  }
  return { models, names, defaultModel, get: (name) => models.find((m) => m.name === name) };
}

/** WORKER_MODELS resolved against the registry (unset: the default model); an unknown name fails naming the installed ones. */
export function workerModels(registry: ModelRegistry, csv: string | undefined): InstalledModel[] {
  const wanted = csv
    ? [
        ...new Set(
          csv
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]
    : [registry.defaultModel];
  const unknown = wanted.filter((n) => !registry.get(n));
  if (unknown.length || wanted.length === 0) {
    throw new Error(
      `WORKER_MODELS: ${unknown.length ? `${unknown.join(', ')} not installed` : 'no model'}; installed: ${registry.names.join(', ')}`,
    );
  }
  return wanted.map((n) => registry.get(n)!);
}
