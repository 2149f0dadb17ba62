// Shared setup of the API tests: real Postgres/Redis/S3 from .tmp/services/env (scripts/services.mjs up),
// the app in-process on port 0 and a fresh tenant per test file.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { loadConfig, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, type PrismaClient } from '@masklet/db';
import { createRedisConnection } from '@masklet/queue';
import type { Redis } from 'ioredis';
import { writeSyntheticClip } from '@masklet/video';
import { createApiApp } from '../../apps/api/src/app';
import { MetricsListener } from '../../apps/api/src/metrics/metrics-listener';
import { createObjectStoreFromConfig, type ApiDeps } from '../../apps/api/src/core/deps';
import { TenantAdminService, type CreatedKey, type CreatedTenant } from '../../apps/api/src/auth/tenant-admin.service';
import type { ObjectStore } from '@masklet/storage';

const ENV_FILE = resolve(__dirname, '../../.tmp/services/env');

function servicesEnv(): Record<string, string> {
  if (process.env['DATABASE_URL'] || !existsSync(ENV_FILE)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/**
 * Settings of the services plus overrides. Queues live in Redis database 3 so that a worker running
 * against the same Redis (database 0) never takes the jobs these tests inspect.
 */
export function testConfig(overrides: Record<string, string> = {}): MaskletConfig {
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'warn', ...servicesEnv(), ...process.env };
  const redis = new URL(env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  redis.pathname = `/${process.env['API_TEST_REDIS_DB'] ?? '3'}`;
  // No metrics listener unless a test asks for one (many apps share this process).
  return loadConfig({ ...env, API_METRICS_PORT: '0', REDIS_URL: redis.toString(), ...overrides });
}

export interface TestApi {
  base: string;
  app: INestApplication;
  config: MaskletConfig;
  prisma: PrismaClient;
  redis: Redis;
  store: ObjectStore;
  admin: TenantAdminService;
  tenant: CreatedTenant;
  /** All scopes (the tenant's admin, not an operator). */
  key: CreatedKey;
  /** A platform operator's key (its own tenant), for fleet routes and x-masklet-tenant. */
  operator: CreatedKey;
  newTenant(label: string): Promise<{ tenant: CreatedTenant; key: CreatedKey }>;
  close(): Promise<void>;
}

export async function startApi(
  label: string,
  overrides: Record<string, string> = {},
  deps: Partial<ApiDeps> = {},
): Promise<TestApi> {
  const config = testConfig(overrides);
  const prisma = createPrismaClient(config.DATABASE_URL);
  const redis = createRedisConnection(config.REDIS_URL, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const store = createObjectStoreFromConfig(config);
  await store.ensureBucket();
  const app = await createApiApp(config, { prisma, redis, store, ...deps });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const admin = new TenantAdminService(prisma);
  const newTenant = async (l: string): Promise<{ tenant: CreatedTenant; key: CreatedKey }> => {
    const tenant = await admin.createTenant(`${l}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
    const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], 'test');
    return { tenant, key };
  };
  const { tenant, key } = await newTenant(label);
  const ops = await admin.createTenant(`${label}-ops-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  const operator = await admin.createKey(ops.id, ['admin'], 'operator', { operator: true });
  return {
    base: `http://127.0.0.1:${port}`,
    app,
    config,
    prisma,
    redis,
    store,
    admin,
    tenant,
    key,
    operator,
    newTenant,
    async close() {
      await app.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
  };
}

let clipCache: Promise<{ path: string; bytes: Buffer; width: number; height: number; frames: number }> | undefined;

/** A real 30-frame H.264 mp4 (160x120), written once per process. */
export function syntheticMp4(): Promise<{
  path: string;
  bytes: Buffer;
  width: number;
  height: number;
  frames: number;
}> {
  clipCache ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'masklet-api-clip-'));
    const { mp4Path, meta } = await writeSyntheticClip({
      outDir,
      width: 160,
      height: 120,
      frames: 30,
      fps: 10,
      seed: 5,
      mp4: true,
      frameFiles: false,
    });
    const bytes = await readFile(mp4Path!);
    return { path: mp4Path!, bytes, width: meta.width, height: meta.height, frames: meta.frames };
  })();
  return clipCache;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** GET /metrics from the API's metrics listener (the API must be started with an API_METRICS_PORT). */
export async function scrapeMetrics(api: TestApi): Promise<{ status: number; body: string }> {
  const at = api.app.get(MetricsListener).address();
  if (!at) throw new Error('this API serves no metrics: start it with API_METRICS_PORT');
  const res = await fetch(`http://127.0.0.1:${at.port}/metrics`);
  return { status: res.status, body: await res.text() };
}

export async function call(
  api: TestApi,
  method: string,
  path: string,
  opts: { key?: string | null; json?: unknown; raw?: string; headers?: Record<string, string>; form?: FormData } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const key = opts.key === undefined ? api.key.key : opts.key;
  if (key) headers['authorization'] = `Bearer ${key}`;
  let body: RequestInit['body'] | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = opts.raw;
  } else if (opts.form) body = opts.form;
  const res = await fetch(api.base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function videoForm(bytes: Buffer, name = 'clip.mp4', type = 'video/mp4'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

/** Uploads the synthetic clip and returns the READY video. */
export async function uploadClip(api: TestApi, key?: string): Promise<any> {
  const clip = await syntheticMp4();
  const r = await call(api, 'POST', '/v1/videos', { form: videoForm(clip.bytes), ...(key ? { key } : {}) });
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export function jobBody(videoId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    videoId,
    objects: [{ id: 1, label: 'thing', prompts: [{ frame: 0, points: [{ x: 40, y: 30, label: 1 }] }] }],
    ...extra,
  };
}
