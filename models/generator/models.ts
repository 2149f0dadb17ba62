/** The generated models this folder knows how to build, and where they live. */
import { join } from 'node:path';
import { referenceModel } from './reference/build';
import { shapeTestModel } from './shape-test/build';
import { generatorSourceHash, REPO_ROOT } from './source-hash';
import { ModelSpec, writeModel, WrittenModel } from './write-model';

export type ModelKind = 'reference' | 'sam21-tiny-shaped';

export const MODEL_SPECS: Record<ModelKind, () => ModelSpec> = {
  reference: referenceModel,
  'sam21-tiny-shaped': shapeTestModel,
};

export function modelDir(kind: ModelKind): string {
  return join(REPO_ROOT, 'models', kind);
}

export function generateModel(kind: ModelKind, dir = modelDir(kind)): WrittenModel {
  return writeModel(dir, MODEL_SPECS[kind](), generatorSourceHash());
}
