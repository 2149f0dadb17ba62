/**
 * npm run bench -- preview
 * Interactive preview latency: a job on a synthetic clip (2 objects) is segmented by an in-process
 * worker, then 20 clicks (5 on each of 4 frames, positive and negative, alternating objects) are sent to
 * POST /v1/jobs/:id/preview of an in-process API. The first request (model load, video download, session
 * restore from the round checkpoint) is reported apart as `open`. JSON lines, then `preview_p50_ms <ms>`.
 * Uses Redis database 8 (flushed) so nothing else's queue is touched.
 */
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';
import { MaskletClient } from '@masklet/client';
import { loadConfig, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, migrate } from '@masklet/db';
import { parseProviders, SamModel } from '@masklet/engine';
import { writeSyntheticClip } from '@masklet/video';
import { createApiApp } from '../../apps/api/src/app';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { startWorker } from '../../apps/worker/src/worker';
import { ensureModel } from '../../models/generator/ensure-model';

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function runPreviewBench(): Promise<void> {
  const base = loadConfig();
  const redisUrl = new URL(base.REDIS_URL);
  redisUrl.pathname = '/8';
  const config: MaskletConfig = { ...base, REDIS_URL: redisUrl.toString(), LOG_LEVEL: 'warn', WORKER_METRICS_PORT: 0 };
  const flush = async (): Promise<void> => {
    const r = new IORedis(config.REDIS_URL);
    await r.flushdb();
    r.disconnect();
  };
  await flush();
  await migrate({ databaseUrl: config.DATABASE_URL, migrationsDir: resolve('prisma', 'migrations'), log: () => undefined });
  const frames = Number(process.env.BENCH_CLIP_FRAMES ?? 48);
  const clip = await writeSyntheticClip({ outDir: resolve('.tmp/bench/preview-clip'), frames, width: 320, height: 240, seed: 'bench-preview', mp4: true, frameFiles: false, scenario: { objects: 2 } });

  const prisma = createPrismaClient(config.DATABASE_URL);
  const admin = new TenantAdminService(prisma);
  const tenant = await admin.createTenant(`bench-preview-${Date.now()}`);
  const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct'], 'bench-preview');
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
  const client = new MaskletClient(baseUrl, key.key);
  const model = await SamModel.load(process.env.MASKLET_MODEL ?? (await ensureModel('reference')), { runtime: { providers: parseProviders(config.MASKLET_PROVIDERS) } });
  const worker = await startWorker({ ...config, WORKER_SCRATCH_DIR: join('.tmp', 'bench', 'preview-worker') }, { model });
  try {
    const video = await client.uploadVideo(clip.mp4Path!);
    const objects = clip.meta.objects.map((o) => {
      const frame = o.clicks.findIndex((c) => c !== null);
      const [x, y] = o.clicks[frame]!;
      return { id: o.id, prompts: [{ frame, points: [{ x, y, label: 1 as const }] }] };
    });
    const job = await client.createJob({ videoId: video.id, objects });
    const done = await client.waitForJob(job.id, undefined, 600_000);
    if (done.status !== 'SUCCEEDED') throw new Error(`bench job ${done.status}`);

    const click = async (frame: number, objectId: number, points: { x: number; y: number; label: 0 | 1 }[]): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}/v1/jobs/${job.id}/preview`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ frame, objectId, points }),
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`preview ${res.status}: ${body}`);
      return performance.now() - t0;
    };
    const pick = (objectId: number, frame: number): { x: number; y: number } => {
      const o = clip.meta.objects.find((x) => x.id === objectId)!;
      const c = o.clicks[frame] ?? o.clicks.find((x) => x !== null)!;
      return { x: c[0], y: c[1] };
    };
    const openMs = await click(Math.floor(frames / 2), 1, [{ ...pick(1, Math.floor(frames / 2)), label: 1 }]);
    const ms: number[] = [];
    const clickFrames = [5, Math.floor(frames / 3), Math.floor(frames / 2) + 3, frames - 4];
    for (const frame of clickFrames) {
      for (let i = 0; i < 5; i++) {
        const objectId = clip.meta.objects[i % clip.meta.objects.length]!.id;
        const p = pick(objectId, frame);
        // Successive clicks on a frame grow the click list, as an annotator refining a mask would.
        const points = Array.from({ length: 1 + Math.floor(i / 2) }, (_, k) => ({ x: Math.max(0, Math.min(clip.meta.width - 1, p.x + k * 3)), y: p.y, label: (k % 2 === 0 ? 1 : 0) as 0 | 1 }));
        ms.push(await click(frame, objectId, points));
      }
    }
    console.log(JSON.stringify({ bench: 'preview', frames, objects: clip.meta.objects.length, clicks: ms.length, openMs: +openMs.toFixed(1), firstOnFrameMs: clickFrames.map((_, i) => +ms[i * 5]!.toFixed(1)), p50Ms: +percentile(ms, 50).toFixed(1), p90Ms: +percentile(ms, 90).toFixed(1), maxMs: +Math.max(...ms).toFixed(1) }));
    console.log(`preview_p50_ms ${percentile(ms, 50).toFixed(1)}`);
  } finally {
    await worker.close();
    await api.close();
    await model.release();
    await prisma.$disconnect();
    await flush();
  }
}
