/**
 * An API and a worker in this process against the services (scripts/services.mjs), with their own
 * tenant, key and Redis database (flushed before and after), so a bench touches no one else's queue.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';
import { MaskletClient } from '@masklet/client';
import { loadConfig, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, migrate, type PrismaClient } from '@masklet/db';
import { parseProviders, SamModel } from '@masklet/engine';
import { createApiApp } from '../../apps/api/src/app';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { startWorker } from '../../apps/worker/src/worker';
import { ensureModel } from '../../models/generator/ensure-model';

export interface BenchStack {
  baseUrl: string;
  key: string;
  client: MaskletClient;
  prisma: PrismaClient;
  /** JSON call with the bench key; throws on a status other than `expect`. */
  call<T>(method: string, path: string, body?: unknown, expect?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startBenchStack(
  name: string,
  redisDb: number,
  overrides: Partial<MaskletConfig> = {},
  /** The worker loads its own engine as deployed (on a thread of its own) instead of sharing one inline model. */
  opts: { engineThread?: boolean } = {},
): Promise<BenchStack> {
  const base = loadConfig();
  const redisUrl = new URL(base.REDIS_URL);
  redisUrl.pathname = `/${redisDb}`;
  const config: MaskletConfig = {
    ...base,
    REDIS_URL: redisUrl.toString(),
    LOG_LEVEL: 'warn',
    WORKER_METRICS_PORT: 0,
    API_METRICS_PORT: 0,
    ...overrides,
  };
  const flush = async (): Promise<void> => {
    const r = new IORedis(config.REDIS_URL);
    await r.flushdb();
    r.disconnect();
  };
  await flush();
  await migrate({
    databaseUrl: config.DATABASE_URL,
    migrationsDir: resolve('prisma', 'migrations'),
    log: () => undefined,
  });
  const prisma = createPrismaClient(config.DATABASE_URL);
  const admin = new TenantAdminService(prisma);
  const tenant = await admin.createTenant(`bench-${name}-${Date.now()}`);
  const { key } = await admin.createKey(tenant.id, ['submit', 'read', 'correct'], `bench-${name}`);
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${((api.getHttpServer() as Server).address() as AddressInfo).port}`;
  const manifest = config.MASKLET_MODEL ?? (await ensureModel('reference'));
  const model = opts.engineThread
    ? null
    : await SamModel.load(manifest, { runtime: { providers: parseProviders(config.MASKLET_PROVIDERS) } });
  const worker = await startWorker(
    {
      ...config,
      MASKLET_MODEL: manifest,
      WORKER_ENGINE_THREAD: true,
      WORKER_SCRATCH_DIR: join('.tmp', 'bench', `${name}-worker`),
    },
    model ? { model } : {},
  );
  return {
    baseUrl,
    key,
    client: new MaskletClient(baseUrl, key),
    prisma,
    async call<T>(method: string, path: string, body?: unknown, expect = 200): Promise<T> {
      const send = (): Promise<Response> =>
        fetch(new URL(path, baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      // A pooled keep-alive socket the server has just closed resets before the request is read; once
      // more on a fresh socket (seen on loaded machines between a video upload and the next call).
      const res = await send().catch((err: unknown) => {
        if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw err;
        return send();
      });
      const text = await res.text();
      if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async close(): Promise<void> {
      await worker.close();
      await api.close();
      await model?.release();
      await prisma.$disconnect();
      await flush();
    },
  };
}
