import { runtimeFromEnv, SamModel, type EngineLogger } from '@masklet/engine';
import type { MaskletConfig } from '@masklet/config';

/** Loads one installed model once per process: MASKLET_PROVIDERS and the thread variables (cuda falls back to cpu inside the engine, which logs why). */
export async function loadWorkerModel(config: MaskletConfig, manifestPath: string, logger: EngineLogger): Promise<SamModel> {
  return SamModel.load(manifestPath, { runtime: runtimeFromEnv({ ...process.env, MASKLET_PROVIDERS: config.MASKLET_PROVIDERS }), logger });
}

/** 'cpu' or 'cuda:0' (the engine uses device 0 unless told otherwise) — what the heartbeat reports. */
export function modelDevice(model: SamModel): string {
  return model.provider === 'cuda' ? 'cuda:0' : 'cpu';
}
