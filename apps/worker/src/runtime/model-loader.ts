import { parseProviders, SamModel, type EngineLogger } from '@masklet/engine';
import { modelManifestPath, type MaskletConfig } from '@masklet/config';

/** Loads the engine model once per process: MASKLET_MODEL or the generated reference model; MASKLET_PROVIDERS (cuda falls back to cpu inside the engine, which logs why). */
export async function loadWorkerModel(config: MaskletConfig, logger: EngineLogger): Promise<SamModel> {
  const manifest = modelManifestPath(config);
  return SamModel.load(manifest, { runtime: { providers: parseProviders(config.MASKLET_PROVIDERS) }, logger });
}

/** 'cpu' or 'cuda:0' (the engine uses device 0 unless told otherwise) — what the heartbeat reports. */
export function modelDevice(model: SamModel): string {
  return model.provider === 'cuda' ? 'cuda:0' : 'cpu';
}
