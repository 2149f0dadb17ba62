/**
 * The fleet's backlog, submitted the way customers do: an in-process API, one synthetic clip uploaded per
 * tenant, then every tenant's batches of jobs through POST /v1/batches (validation, rows, the fair
 * BullMQ priorities of JobSubmissionService). Tenants submit one after another, so a first-come queue
 * would serve the first tenant's whole backlog before anyone else's.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { MaskletClient } from '@masklet/client';
import type { MaskletConfig } from '@masklet/config';
import type { PrismaClient } from '@masklet/db';
import type { VideoInfo } from '@masklet/video';
import { writeSyntheticClip } from '@masklet/video';
import { createApiApp } from '../../../apps/api/src/app';
import { TenantAdminService } from '../../../apps/api/src/auth/tenant-admin.service';
import type { FleetOptions } from './fleet-options';

export interface Backlog {
  tenantIds: string[];
  video: VideoInfo;
  jobs: number;
  /** Seconds each POST /v1/batches took. */
  batchSeconds: number[];
}

export async function submitBacklog(config: MaskletConfig, prisma: PrismaClient, o: FleetOptions): Promise<Backlog> {
  const clip = await writeSyntheticClip({
    outDir: resolve('.tmp/bench/fleet-clip'),
    frames: o.frames,
    seed: 'bench-fleet',
    mp4: true,
    frameFiles: false,
    scenario: { objects: o.objects },
  });
  const admin = new TenantAdminService(prisma);
  const api = await createApiApp(config);
  await api.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${((api.getHttpServer() as Server).address() as AddressInfo).port}`;
  const tenantIds: string[] = [];
  const batchSeconds: number[] = [];
  let video: VideoInfo | null = null;
  try {
    const stamp = Date.now();
    const tenants = [];
    for (let t = 0; t < o.tenants; t++) {
      const tenant = await admin.createTenant(`bench-fleet-${stamp}-${t}`);
      const { key } = await admin.createKey(tenant.id, ['submit', 'read'], 'bench-fleet');
      const client = new MaskletClient(baseUrl, key);
      const v = await client.uploadVideo(clip.mp4Path!);
      if (v.status !== 'READY' || !v.width || !v.height || !v.frameCount) {
        throw new Error(`bench clip is ${v.status}: ${v.error}`);
      }
      video = { numFrames: v.frameCount, width: v.width, height: v.height, fps: v.fps ?? 30 };
      tenantIds.push(tenant.id);
      tenants.push({ client, videoId: v.id });
    }
    const objects = clip.meta.objects.slice(0, o.objects).map((obj, i) => {
      const frame = Math.max(
        0,
        obj.clicks.findIndex((c) => c !== null),
      );
      const [x, y] = obj.clicks[frame] ?? [8 + i, 8 + i];
      return { id: obj.id, prompts: [{ frame: 0, points: [{ x, y, label: 1 as const }] }] };
    });
    for (const { client, videoId } of tenants) {
      for (let b = 0; b < o.batches; b++) {
        const started = performance.now();
        const jobs = Array.from({ length: o.jobs }, () => ({
          videoId,
          objects,
          options: { direction: 'forward' as const },
        }));
        await client.createBatch(jobs, `fleet-${b}`);
        batchSeconds.push((performance.now() - started) / 1000);
      }
    }
  } finally {
    await api.close();
  }
  return { tenantIds, video: video!, jobs: o.tenants * o.batches * o.jobs, batchSeconds };
}
