// The whole platform in one test process: a fresh migrated database, a Redis database of its own,
// the API on a random port and (optionally) an in-process worker, all on the real services.
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import { MaskletClient, type JobRequest } from '@masklet/client';
import type { MaskletConfig } from '@masklet/config';
import { fromCocoRle, jaccard } from '@masklet/masks';
import type { SyntheticClipResult } from '@masklet/video';
import { createApiApp } from '../../apps/api/src/app';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { startWorker, type WorkerHandle } from '../../apps/worker/src/worker';
import { createTestEnv, sharedEngine, truthMask, type TestEnv } from '../worker/support';

export interface Stack {
  env: TestEnv;
  config: MaskletConfig;
  api: INestApplication;
  baseUrl: string;
  admin: TenantAdminService;
  worker: WorkerHandle | null;
  startWorker(): Promise<WorkerHandle>;
  client(label: string): Promise<{ tenantId: string; client: MaskletClient }>;
  close(): Promise<void>;
}

/** Redis database 6 is this suite's own: flushed at start so no other suite's queue entries leak in. */
export async function startStack(overrides: Record<string, string> = {}, withWorker = true): Promise<Stack> {
  const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  redisUrl.pathname = '/6';
  const flush = new IORedis(redisUrl.toString());
  await flush.flushdb();
  flush.disconnect();
  const env = await createTestEnv({ REDIS_URL: redisUrl.toString(), CHUNK_FRAMES: '16', ...overrides });
  const config = env.config;
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
  const admin = new TenantAdminService(env.prisma);
  const stack: Stack = {
    env,
    config,
    api,
    baseUrl,
    admin,
    worker: null,
    async startWorker() {
      stack.worker = await startWorker(config, { engine: await sharedEngine() });
      return stack.worker;
    },
    async client(label) {
      const tenant = await admin.createTenant(`${label}-${Math.random().toString(36).slice(2, 8)}`);
      const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], label);
      return { tenantId: tenant.id, client: new MaskletClient(baseUrl, key.key) };
    },
    async close() {
      await stack.worker?.close();
      await api.close();
      await env.close();
    },
  };
  if (withWorker) await stack.startWorker();
  return stack;
}

/** A job body clicking each object of a synthetic clip once, on its first visible frame. */
export function clickJob(videoId: string, clip: SyntheticClipResult, extra: Partial<JobRequest> = {}): JobRequest {
  return {
    videoId,
    objects: clip.meta.objects.map((o) => {
      const frame = o.clicks.findIndex((c) => c !== null);
      const [x, y] = o.clicks[frame]!;
      return { id: o.id, prompts: [{ frame, points: [{ x, y, label: 1 }] }] };
    }),
    ...extra,
  };
}

/** Mean IoU per object of the job's masklets against the clip's exact masks. */
export async function meanIouAgainstTruth(
  client: MaskletClient,
  jobId: string,
  clip: SyntheticClipResult,
): Promise<Map<number, { iou: number; frames: number }>> {
  const data = await client.masklets(jobId);
  const acc = new Map<number, { iou: number; frames: number }>();
  const { width, height } = clip.meta;
  for (const f of data.frames) {
    for (const o of f.objects) {
      const pred = fromCocoRle(o.rle);
      const truth = { width, height, data: (await truthMask(clip, o.objectId, f.frame)).map((v) => (v ? 1 : 0)) };
      const a = acc.get(o.objectId) ?? { iou: 0, frames: 0 };
      a.iou += jaccard(pred, truth);
      a.frames++;
      acc.set(o.objectId, a);
    }
  }
  for (const a of acc.values()) a.iou /= a.frames;
  return acc;
}
