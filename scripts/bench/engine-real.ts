/**
 * npm run bench -- engine --model <manifest>   (or --real: the SAM 2.1-tiny-shaped graphs at 1024)
 * The engine at real model size: 1, 4 and 16 objects, each in its own process (peak RSS per count),
 * over BENCH_FRAMES frames (default 4; frame 0 is the prompt). Prints the thread settings, one JSON
 * line per count (ms per role per frame, memory-attention ms per object, peak RSS), and last
 * `real_objects16/objects1 <time ratio> real_rss16/rss1 <ratio> real_fps1 <fps>`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeThreads, roleThreading, runtimeFromEnv } from '@masklet/engine';
import type { RealRun } from './engine-real-child';

const run = promisify(execFile);

export const REAL_OBJECT_COUNTS = [1, 4, 16] as const;

async function childRun(manifest: string, objects: number, frames: number): Promise<RealRun> {
  const child = join(__dirname, 'engine-real-child.ts');
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', child, manifest, String(objects), String(frames)],
    { maxBuffer: 1 << 20, env: process.env },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as RealRun;
}

export async function runRealEngineBench(manifest: string): Promise<void> {
  const runtime = runtimeFromEnv(process.env);
  console.log(describeThreads(runtime, (role) => roleThreading(role, runtime).threads));
  console.log(`attention budget ${runtime.attentionBudgetMb ?? 'default'} MB (MASKLET_ATTENTION_BUDGET_MB)`);
  const frames = Number(process.env.BENCH_FRAMES ?? 4);
  const runs = new Map<number, RealRun>();
  for (const objects of REAL_OBJECT_COUNTS) {
    const r = await childRun(manifest, objects, frames);
    runs.set(objects, r);
    const attention = r.roles.memoryAttention?.msPerFrame ?? 0;
    console.log(
      JSON.stringify({
        bench: 'engine-real',
        manifest,
        objects,
        frames: r.frames,
        msPerFrame: +((r.seconds * 1000) / r.frames).toFixed(1),
        memoryAttentionMsPerObject: +(attention / objects).toFixed(1),
        peakRssMb: r.peakRssMb,
        roles: r.roles,
      }),
    );
  }
  const one = runs.get(1)!;
  const sixteen = runs.get(16)!;
  const perFrame = (r: RealRun) => r.seconds / r.frames;
  const perObjectAttention = (r: RealRun) => (r.roles.memoryAttention?.msPerFrame ?? 0) / r.objects;
  console.log(
    `memoryAttention per object: objects16/objects1 ${(perObjectAttention(sixteen) / perObjectAttention(one)).toFixed(3)}`,
  );
  console.log(
    `real_objects16/objects1 ${(perFrame(sixteen) / perFrame(one)).toFixed(3)} real_rss16/rss1 ${(sixteen.peakRssMb / one.peakRssMb).toFixed(3)} real_fps1 ${(1 / perFrame(one)).toFixed(3)}`,
  );
}
