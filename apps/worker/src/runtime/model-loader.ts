import { runtimeFromEnv, SamModel, type EngineLogger } from '@masklet/engine';
import type { MaskletConfig } from '@masklet/config';
import type { Engine } from '../engine/engine-port';
import { InlineEngine } from '../engine/inline-engine';
import { ThreadEngine } from '../engine/thread-engine';
import type { Logger } from './logger';

/**
 * The engine of one installed model, loaded once per process with MASKLET_PROVIDERS and the thread
 * variables (cuda falls back to cpu inside the engine, which logs why); on a thread of its own unless
 * WORKER_ENGINE_THREAD=false.
 */
export async function startWorkerEngine(config: MaskletConfig, manifestPath: string, log: Logger): Promise<Engine> {
  const runtime = runtimeFromEnv({ ...process.env, MASKLET_PROVIDERS: config.MASKLET_PROVIDERS });
  if (config.WORKER_ENGINE_THREAD) return ThreadEngine.start({ manifestPath, runtime, log });
  const logger: EngineLogger = log.child({ component: 'engine' });
  const model = await SamModel.load(manifestPath, { runtime, logger });
  return new OwnedInlineEngine(model);
}

/** An inline engine whose model this worker loaded, so closing the engine releases it. */
class OwnedInlineEngine extends InlineEngine {
  override async close(): Promise<void> {
    await this.model.release();
  }
}
