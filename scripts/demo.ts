/**
 * npm run demo — the platform end to end on this machine: starts the API and a worker, creates a
 * tenant and an API key, generates a clip with exactly known masks, uploads it, submits a job with two
 * objects, follows it with a progress bar, downloads the masklets, writes DAVIS-palette PNGs and prints
 * the IoU against the known masks; then the same on a real clip from ../shared/data/videos when
 * present. The stack stays up with its URLs printed until Ctrl-C (DEMO_EXIT=1 stops at once).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MaskletClient, type JobView } from '@masklet/client';
import { loadConfig } from '@masklet/config';
import { createPrismaClient } from '@masklet/db';
import { fromCocoRle, jaccard, readMaskPng, writeIndexedPng } from '@masklet/masks';
import { probeVideo, writeSyntheticClip, type SyntheticClipResult } from '@masklet/video';
import { readFile } from 'node:fs/promises';
import { TenantAdminService } from '../apps/api/src/auth/tenant-admin.service';
import { followJob } from './demo/progress';
import { startStackProcesses } from './demo/stack-processes';

const OUT = resolve('.tmp/demo');
const REAL_VIDEOS = resolve('../shared/data/videos');

async function createTenantKey(databaseUrl: string): Promise<{ tenant: string; key: string }> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    const admin = new TenantAdminService(prisma);
    const tenant = await admin.createTenant(`demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const key = await admin.createKey(tenant.id, ['submit', 'read', 'correct', 'admin'], 'demo');
    return { tenant: tenant.id, key: key.key };
  } finally {
    await prisma.$disconnect();
  }
}

/** Downloads the job's masklets, writes one indexed PNG per frame and returns IoU per object when truth exists. */
async function saveMasks(client: MaskletClient, job: JobView, dir: string, clip?: SyntheticClipResult): Promise<Map<number, number>> {
  await mkdir(dir, { recursive: true });
  const data = await client.masklets(job.id);
  const sums = new Map<number, { iou: number; n: number }>();
  for (const f of data.frames) {
    const labels = new Uint8Array(data.width * data.height);
    for (const o of f.objects) {
      const mask = fromCocoRle(o.rle);
      for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) labels[i] = o.objectId;
      if (clip) {
        const png = readMaskPng(await readFile(join(clip.masksDir, String(o.objectId), `${String(f.frame).padStart(5, '0')}.png`)));
        const truth = { width: data.width, height: data.height, data: png.labels.map((v) => (v ? 1 : 0)) };
        const s = sums.get(o.objectId) ?? { iou: 0, n: 0 };
        s.iou += jaccard(mask, truth);
        s.n++;
        sums.set(o.objectId, s);
      }
    }
    await writeFile(join(dir, `${String(f.frame).padStart(5, '0')}.png`), writeIndexedPng(labels, data.width, data.height));
  }
  return new Map([...sums].map(([id, s]) => [id, s.iou / s.n]));
}

async function syntheticRun(client: MaskletClient): Promise<string> {
  const frames = Number(process.env.DEMO_FRAMES ?? 120);
  console.log(`\n1/2  a generated ${frames}-frame 854x480 clip with two objects whose masks are known exactly`);
  const clip = await writeSyntheticClip({ outDir: join(OUT, 'clip'), frames, seed: 'demo', mp4: true, frameFiles: false, scenario: { objects: 2 } });
  const video = await client.uploadVideo(clip.mp4Path!);
  console.log(`     uploaded ${clip.mp4Path} -> video ${video.id} (${video.width}x${video.height}, ${video.frameCount} frames)`);
  const objects = clip.meta.objects.map((o) => {
    const frame = o.clicks.findIndex((c) => c !== null);
    const [x, y] = o.clicks[frame]!;
    console.log(`     object ${o.id}: one click at (${x}, ${y}) on frame ${frame}`);
    return { id: o.id, prompts: [{ frame, points: [{ x, y, label: 1 }] }] };
  });
  const job = await client.createJob({ videoId: video.id, objects, options: { direction: 'forward' } });
  const done = await followJob(client, job.id, 'synthetic clip');
  if (done.status !== 'SUCCEEDED') throw new Error(`job ${job.id} ended ${done.status}: ${done.error?.message ?? ''}`);
  const dir = join(OUT, job.id, 'masks');
  const ious = await saveMasks(client, done, dir, clip);
  for (const [id, iou] of ious) console.log(`     object ${id}: mean IoU ${iou.toFixed(3)} against the known masks`);
  console.log(`     masks: ${dir}/*.png (DAVIS palette)`);
  return job.id;
}

async function realRun(client: MaskletClient): Promise<void> {
  const files = existsSync(REAL_VIDEOS) ? readdirSync(REAL_VIDEOS).filter((f) => f.endsWith('.mp4')).sort() : [];
  if (files.length === 0) {
    console.log('\n2/2  no real clips at ../shared/data/videos; skipped');
    return;
  }
  const path = join(REAL_VIDEOS, files[0]!);
  const probe = await probeVideo(path);
  const maxFrames = Number(process.env.DEMO_REAL_FRAMES ?? 90);
  console.log(`\n2/2  a real clip: ${files[0]} (${probe.width}x${probe.height}), two clicked objects, ${maxFrames} frames`);
  const video = await client.uploadVideo(path);
  const { width: w, height: h } = probe;
  const objects = [
    { id: 1, prompts: [{ frame: 0, points: [{ x: Math.round(w / 2), y: Math.round(h / 2), label: 1 }] }] },
    { id: 2, prompts: [{ frame: 0, points: [{ x: Math.round(w / 6), y: Math.round(h / 6), label: 1 }] }] },
  ];
  const job = await client.createJob({ videoId: video.id, objects, options: { direction: 'forward', maxFrames } });
  const done = await followJob(client, job.id, files[0]!);
  if (done.status !== 'SUCCEEDED') throw new Error(`job ${job.id} ended ${done.status}: ${done.error?.message ?? ''}`);
  const dir = join(OUT, job.id, 'masks');
  await saveMasks(client, done, dir);
  console.log(`     masks: ${dir}/*.png (no ground truth for real clips)`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const port = Number(process.env.DEMO_API_PORT ?? config.API_PORT);
  console.log('starting the API and a worker ...');
  const stack = await startStackProcesses(port);
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      console.log('\nstopping the API and the worker ...');
      await stack.stop();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  try {
    const { tenant, key } = await createTenantKey(config.DATABASE_URL);
    console.log(`tenant ${tenant}\napi key ${key}`);
    const client = new MaskletClient(stack.apiUrl, key);
    const demoJob = await syntheticRun(client);
    await realRun(client);
    console.log(`\ndashboard  ${stack.apiUrl}/ui/   (log in with the api key above)`);
    console.log(`demo job   ${stack.apiUrl}/ui/#/jobs/${demoJob}   (overlay, swim lanes, click to correct)`);
    console.log(`queues     ${stack.apiUrl}/admin/queues   (bull-board, after logging in on the dashboard)`);
    console.log(`API        ${stack.apiUrl}`);
    console.log(`OpenAPI    ${stack.apiUrl}/docs`);
    console.log(`metrics    ${stack.apiUrl}/metrics   worker: http://127.0.0.1:${config.WORKER_METRICS_PORT}/metrics`);
    console.log(`try:       curl -H 'Authorization: Bearer ${key}' ${stack.apiUrl}/v1/jobs`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await stop(1);
  }
  if (process.env.DEMO_EXIT === '1') await stop(0);
  console.log('\nthe stack stays up; Ctrl-C stops it.');
}

void main();
