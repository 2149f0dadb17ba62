// @masklet/config: every process reads its settings from the environment through this one schema.
export { loadConfig, type MaskletConfig } from './config';
export { projectRoot } from './project-root';
export { modelManifestPath, referenceManifestPath } from './model-manifest';
export { loadModelRegistry, workerModels, type InstalledModel, type ModelRegistry } from './model-registry';
