/**
 * npm run bench -- platform
 * Submit throughput (single POST /v1/jobs with p50/p99 latency, and POST /v1/batches) and end-to-end
 * job time against engine-only time on the same 300-frame clip, BENCH_RUNS (3) times: each run's
 * e2e/engine ratio is printed, then a last line `overhead <median ratio> submit_per_s <batch jobs per second>`.
 * Runs the API and a worker in this process against the services (scripts/services.mjs), with its
 * own tenant and Redis database 7 (flushed), so nothing else's queue is touched. The worker runs its
 * engine as deployed (its own thread unless WORKER_ENGINE_THREAD=false); engine-only runs the same
 * model on this thread with nothing else to do.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import IORedis from 'ioredis';
import { MaskletClient } from '@masklet/client';
import { loadConfig, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, type PrismaClient } from '@masklet/db';
import { runtimeFromEnv, SamModel, VideoSession } from '@masklet/engine';
import { openVideoFile, writeSyntheticClip, type SyntheticClipResult } from '@masklet/video';
import { createApiApp } from '../../apps/api/src/app';
import { TenantAdminService } from '../../apps/api/src/auth/tenant-admin.service';
import { startWorker } from '../../apps/worker/src/worker';
import { ensureModel } from '../../models/generator/ensure-model';
import { startCpuSpan } from './cpu-probe';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function clickObjects(
  clip: SyntheticClipResult,
): { id: number; prompts: { frame: number; points: { x: number; y: number; label: 1 }[] }[] }[] {
  return clip.meta.objects.map((o) => {
    const frame = o.clicks.findIndex((c) => c !== null);
    const [x, y] = o.clicks[frame]!;
    return { id: o.id, prompts: [{ frame, points: [{ x, y, label: 1 }] }] };
  });
}

async function engineOnly(model: SamModel, clip: SyntheticClipResult): Promise<number> {
  const started = performance.now();
  const source = await openVideoFile(clip.mp4Path!);
  const session = new VideoSession(model, source);
  for (const o of clickObjects(clip)) await session.addPoints(o.prompts[0]!.frame, o.id, o.prompts[0]!.points);
  for await (const _ of session.propagate({ startFrame: 0, direction: 'forward' })) void _;
  await session.close();
  await source.close();
  return (performance.now() - started) / 1000;
}

async function endToEnd(
  client: MaskletClient,
  prisma: PrismaClient,
  videoId: string,
  clip: SyntheticClipResult,
): Promise<number> {
  // Submit -> finishedAt (the worker's clock is this machine's, so how often we look does not change
  // the measured time). The API and the worker share this process and its two cores here, unlike in a
  // deployment, so completion is read from Postgres every 2 s rather than through the API: polling the
  // API once a second cost the worker ~0.7 CPU-s per run (auth, job view, JSON) that production does not.
  const submittedAt = Date.now();
  const job = await client.createJob({ videoId, objects: clickObjects(clip), options: { direction: 'forward' } });
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000));
    const j = await prisma.job.findUniqueOrThrow({
      where: { id: job.id },
      select: { status: true, finishedAt: true, error: true, errorCode: true },
    });
    if (j.status === 'SUCCEEDED') return (j.finishedAt!.getTime() - submittedAt) / 1000;
    if (j.status === 'FAILED' || j.status === 'CANCELLED')
      throw new Error(`bench job ${j.status}: ${j.errorCode}: ${j.error}`);
  }
}

async function submitThroughput(client: MaskletClient, videoId: string, clip: SyntheticClipResult): Promise<number> {
  const body = { videoId, objects: clickObjects(clip) };
  const singles = Number(process.env.BENCH_SINGLE_JOBS ?? 300);
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < singles; i++) {
    const s = performance.now();
    await client.createJob(body);
    latencies.push(performance.now() - s);
  }
  const singleSeconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      bench: 'submit-single',
      jobs: singles,
      perSecond: +(singles / singleSeconds).toFixed(1),
      p50Ms: +percentile(latencies, 50).toFixed(2),
      p99Ms: +percentile(latencies, 99).toFixed(2),
    }),
  );

  const batchSize = Number(process.env.BENCH_BATCH_JOBS ?? 5000);
  const batches = Number(process.env.BENCH_BATCHES ?? 4);
  const batchMs: number[] = [];
  for (let b = 0; b < batches; b++) {
    const s = performance.now();
    await client.createBatch(Array.from({ length: batchSize }, () => body));
    batchMs.push(performance.now() - s);
  }
  const perSecond = (batchSize * batches) / (batchMs.reduce((a, b) => a + b, 0) / 1000);
  console.log(
    JSON.stringify({
      bench: 'submit-batch',
      batchSize,
      batches,
      perSecond: +perSecond.toFixed(1),
      p50Ms: +percentile(batchMs, 50).toFixed(1),
      p99Ms: +percentile(batchMs, 99).toFixed(1),
    }),
  );
  return perSecond;
}

export async function runPlatformBench(): Promise<void> {
  const base = loadConfig();
  const redisUrl = new URL(base.REDIS_URL);
  redisUrl.pathname = '/7';
  const config: MaskletConfig = {
    ...base,
    REDIS_URL: redisUrl.toString(),
    LOG_LEVEL: (process.env.BENCH_LOG_LEVEL ?? 'warn') as MaskletConfig['LOG_LEVEL'],
    WORKER_METRICS_PORT: 0,
    API_METRICS_PORT: 0,
  };
  const flush = async (): Promise<void> => {
    const r = new IORedis(config.REDIS_URL);
    await r.flushdb();
    r.disconnect();
  };
  await flush();
  const frames = Number(process.env.BENCH_CLIP_FRAMES ?? 300);
  const clip = await writeSyntheticClip({
    outDir: resolve('.tmp/bench/platform-clip'),
    frames,
    seed: 'bench-platform',
    mp4: true,
    frameFiles: false,
    scenario: { objects: 2 },
  });

  const prisma = createPrismaClient(config.DATABASE_URL);
  const admin = new TenantAdminService(prisma);
  const tenant = await admin.createTenant(`bench-${Date.now()}`);
  const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], 'bench');
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const client = new MaskletClient(
    `http://127.0.0.1:${((api.getHttpServer() as Server).address() as AddressInfo).port}`,
    key.key,
  );
  const video = await client.uploadVideo(clip.mp4Path!);

  // Throughput first, with no worker: the queue is flushed and the rows cancelled before the e2e runs.
  const submitPerSecond = await submitThroughput(client, video.id, clip);
  await flush();
  await prisma.job.updateMany({
    where: { tenantId: tenant.id, status: 'QUEUED' },
    data: { status: 'CANCELLED', finishedAt: new Date() },
  });

  const manifest = config.MASKLET_MODEL ?? (await ensureModel('reference'));
  const model = await SamModel.load(manifest, {
    runtime: runtimeFromEnv({ ...process.env, MASKLET_PROVIDERS: config.MASKLET_PROVIDERS }),
  });
  const worker = await startWorker({
    ...config,
    MASKLET_MODEL: manifest,
    WORKER_SCRATCH_DIR: join('.tmp', 'bench', 'worker'),
  });
  await engineOnly(model, clip); // warm-up: graph caches, page cache of the clip
  await endToEnd(client, prisma, video.id, clip); // warm-up: the worker's local copy of the video
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const engineS: number[] = [];
  const e2eS: number[] = [];
  for (let i = 0; i < runs; i++) {
    // CPU seconds by consumer: what the end-to-end run spends beyond the engine, and where.
    let span = startCpuSpan();
    engineS.push(await engineOnly(model, clip));
    const engineCpu = span.stop();
    span = startCpuSpan();
    e2eS.push(await endToEnd(client, prisma, video.id, clip));
    console.log(JSON.stringify({ bench: 'job-cpu', run: i + 1, engineOnly: engineCpu, endToEnd: span.stop() }));
    console.log(
      JSON.stringify({
        bench: 'job-run',
        run: i + 1,
        engineSeconds: +engineS[i]!.toFixed(3),
        e2eSeconds: +e2eS[i]!.toFixed(3),
        overhead: +(e2eS[i]! / engineS[i]!).toFixed(3),
      }),
    );
  }
  // Engine-only and end-to-end alternate, so each run's ratio compares the two under the same load.
  const ratios = engineS.map((s, i) => e2eS[i]! / s);
  const overhead = median(ratios);
  const engineThread = config.WORKER_ENGINE_THREAD;
  console.log(
    JSON.stringify({
      bench: 'job-time',
      frames,
      objects: 2,
      engineThread,
      engineSeconds: engineS.map((s) => +s.toFixed(3)),
      e2eSeconds: e2eS.map((s) => +s.toFixed(3)),
      overheads: ratios.map((r) => +r.toFixed(3)),
      engineFps: +(frames / median(engineS)).toFixed(2),
      e2eFps: +(frames / median(e2eS)).toFixed(2),
    }),
  );
  await worker.close();
  await api.close();
  await model.release();
  await prisma.$disconnect();
  await flush();
  console.log(`overhead ${overhead.toFixed(3)} submit_per_s ${Math.round(submitPerSecond)}`);
}
