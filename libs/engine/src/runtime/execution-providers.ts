/**
 * Chooses onnxruntime execution providers from config. onnxruntime-node throws when a requested
 * provider cannot be loaded (e.g. CUDA libraries absent) instead of falling back, so the fallback
 * to CPU is done here, once, with the reason logged.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { RoleName } from '../manifest/manifest-schema';
import { EngineLogger } from './logger';

export type ProviderName = 'cuda' | 'cpu';

export interface RuntimeConfig {
  /** In order of preference; 'cpu' is always appended as the last resort. */
  providers: ProviderName[];
  intraOpThreads?: number;
  interOpThreads?: number;
  /** Per-role intra-op threads; wins over intraOpThreads and over the one-thread default of small roles. */
  roleIntraOpThreads?: Partial<Record<RoleName, number>>;
  cudaDeviceId?: number;
  /** Memory one memory-attention call may spend on attention scores (see session/attention-budget); unset: sized to the provider. */
  attentionBudgetMb?: number;
}

export function parseProviders(value: string | undefined): ProviderName[] {
  if (!value) return ['cpu'];
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (name !== 'cuda' && name !== 'cpu')
      throw new Error(`unknown execution provider "${name}" (expected cuda or cpu)`);
  }
  return names as ProviderName[];
}

function providerOption(name: ProviderName, config: RuntimeConfig): ort.InferenceSession.ExecutionProviderConfig {
  if (name === 'cuda') return { name: 'cuda', deviceId: config.cudaDeviceId ?? 0 };
  return 'cpu';
}

/** How one session uses the CPU: intra-op threads (undefined: onnxruntime's default, one per core) and whether idle pool threads spin. */
export interface SessionThreading {
  threads?: number;
  spin: boolean;
}

export function sessionOptions(
  config: RuntimeConfig,
  provider: ProviderName,
  threading: SessionThreading = { threads: config.intraOpThreads, spin: true },
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [providerOption(provider, config)],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Softmaxes with sharp temperatures underflow into denormals, which x86 computes ~100x slower;
    // flushing them changes values below 1e-38 only, the same way in every process (checkpoints stay exact).
    extra: { session: { set_denormal_as_zero: '1', intra_op: { allow_spinning: threading.spin ? '1' : '0' } } },
    ...(threading.threads ? { intraOpNumThreads: threading.threads } : {}),
    ...(config.interOpThreads ? { interOpNumThreads: config.interOpThreads } : {}),
  };
}

/**
 * Why a provider cannot load, when that is known without asking onnxruntime. onnxruntime-node's npm package
 * carries no CUDA provider libraries (its install script fetches them with ONNXRUNTIME_NODE_INSTALL=cuda12);
 * asking for CUDA without them only adds onnxruntime's native "Failed to load library" error line to stderr.
 */
export function missingProviderLibrary(provider: ProviderName): string | undefined {
  if (provider !== 'cuda' || process.platform !== 'linux') return undefined;
  const dir = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', 'linux', process.arch);
  for (const lib of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']) {
    if (!existsSync(join(dir, lib)))
      return `${lib} is not installed in ${dir} (install onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12)`;
  }
  return undefined;
}

/**
 * Creates a session on the first provider that loads. Returns which provider won so the worker can
 * report its device honestly.
 */
export async function createSessionWithFallback(
  file: string,
  config: RuntimeConfig,
  logger: EngineLogger,
  threading?: SessionThreading,
): Promise<{ session: ort.InferenceSession; provider: ProviderName }> {
  const order: ProviderName[] = [...config.providers.filter((p) => p !== 'cpu'), 'cpu'];
  let lastError: unknown;
  for (const provider of order) {
    const missing = missingProviderLibrary(provider);
    if (missing) {
      logger.warn({ file, provider, reason: missing }, `execution provider ${provider} failed to load; falling back`);
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(file, sessionOptions(config, provider, threading));
      return { session, provider };
    } catch (err) {
      lastError = err;
      if (provider !== 'cpu') {
        logger.warn(
          { file, provider, reason: (err as Error).message },
          `execution provider ${provider} failed to load; falling back`,
        );
      }
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
