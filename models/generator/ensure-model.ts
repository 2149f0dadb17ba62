/**
 * ensureModel: the manifest path of a generated model, generating it first when the manifest is
 * missing, a graph file is missing, or the generator's sources changed since it was written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateModel, ModelKind, modelDir } from './models';
import { generatorSourceHash } from './source-hash';

const pending = new Map<ModelKind, Promise<string>>();

function isCurrent(dir: string): boolean {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      description?: string;
      roles?: Record<string, { file?: string }>;
    };
    if (!manifest.description?.includes(`[generator source ${generatorSourceHash()}]`)) return false;
    return Object.values(manifest.roles ?? {}).every((r) => r.file !== undefined && existsSync(join(dir, r.file)));
  } catch {
    return false;
  }
}

export function ensureModel(kind: ModelKind): Promise<string> {
  let p = pending.get(kind);
  if (!p) {
    p = (async () => {
      const dir = modelDir(kind);
      if (!isCurrent(dir)) generateModel(kind, dir);
      return join(dir, 'manifest.json');
    })();
    pending.set(kind, p);
    p.catch(() => pending.delete(kind));
  }
  return p;
}

export type { ModelKind } from './models';
