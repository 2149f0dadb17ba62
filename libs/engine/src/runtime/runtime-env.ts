/**
 * The runtime configuration from the environment: providers and CPU thread pools. One place reads
 * these variables so the worker, the API preview and the benches run the engine the same way.
 */
import { ROLE_IO, RoleName } from '../manifest/manifest-schema';
import { parseProviders, RuntimeConfig } from './execution-providers';

/** `memoryAttention` -> `MASKLET_INTRA_OP_THREADS_MEMORY_ATTENTION`. */
export function roleThreadsVariable(role: RoleName): string {
  return `MASKLET_INTRA_OP_THREADS_${role.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function threadCount(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new Error(`${name} must be an integer from 1 to 1024 (got "${value}")`);
  return n;
}

function budget(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`MASKLET_ATTENTION_BUDGET_MB must be a positive number of megabytes (got "${value}")`);
  return n;
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const roleIntraOpThreads: Partial<Record<RoleName, number>> = {};
  for (const role of Object.keys(ROLE_IO) as RoleName[]) {
    const name = roleThreadsVariable(role);
    const threads = threadCount(name, env[name]);
    if (threads !== undefined) roleIntraOpThreads[role] = threads;
  }
  return {
    providers: parseProviders(env.MASKLET_PROVIDERS),
    intraOpThreads: threadCount('MASKLET_INTRA_OP_THREADS', env.MASKLET_INTRA_OP_THREADS),
    interOpThreads: threadCount('MASKLET_INTER_OP_THREADS', env.MASKLET_INTER_OP_THREADS),
    roleIntraOpThreads,
    attentionBudgetMb: budget(env.MASKLET_ATTENTION_BUDGET_MB),
  };
}

/** One line for bench output: what each role's pool was told (`default` = onnxruntime's one per core). */
export function describeThreads(config: RuntimeConfig, threadsOf: (role: RoleName) => number | undefined): string {
  const roles = (Object.keys(ROLE_IO) as RoleName[]).map((role) => `${role}=${threadsOf(role) ?? 'default'}`);
  return `threads intra(${roles.join(' ')}) inter=${config.interOpThreads ?? 'default'}`;
}
