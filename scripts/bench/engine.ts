/**
 * npm run bench -- engine [--model <manifest> | --real]: with a model, the real-size bench
 * (engine-real.ts); without, the reference model as below.
 * JSON lines: fps for 1, 4 and 16 objects, ms per role, peak RSS for 300 and 3000 frames (each in
 * its own process so one run's heap cannot hide in the other's number); the last line is
 * `objects16/objects1 <ratio> rss3000/rss300 <ratio> fps1 <fps>`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeThreads, roleThreading, runtimeFromEnv, SamModel } from '@masklet/engine';
import { ensureModel } from '../../models/generator/ensure-model';
import { runRealEngineBench } from './engine-real';
import { runWorkload } from './engine-workload';

const run = promisify(execFile);

async function rssRun(
  manifest: string,
  frames: number,
): Promise<{ frames: number; seconds: number; peakRssMb: number }> {
  const child = join(__dirname, 'engine-rss-child.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, manifest, String(frames)], {
    maxBuffer: 1 << 20,
    env: process.env,
  });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as { frames: number; seconds: number; peakRssMb: number };
}

function realModelArg(argv: string[]): { real: boolean; manifest?: string } {
  const at = argv.indexOf('--model');
  if (at >= 0) {
    const manifest = argv[at + 1];
    if (!manifest || manifest.startsWith('--')) throw new Error('--model needs a manifest path');
    return { real: true, manifest };
  }
  return { real: argv.includes('--real') };
}

export async function runEngineBench(argv: string[] = []): Promise<void> {
  const real = realModelArg(argv);
  if (real.real) return runRealEngineBench(real.manifest ?? (await ensureModel('sam21-tiny-shaped')));
  const manifest = process.env.MASKLET_MODEL ?? (await ensureModel('reference'));
  const runtime = runtimeFromEnv(process.env);
  const model = await SamModel.load(manifest, { runtime });
  console.log(describeThreads(runtime, (role) => roleThreading(role, runtime).threads));
  const frames = Number(process.env.BENCH_FRAMES ?? 60);
  await runWorkload(model, 1, 5);
  const fps: Record<number, number> = {};
  for (const objects of [1, 4, 16]) {
    model.timings.reset();
    const r = await runWorkload(model, objects, frames);
    fps[objects] = r.framesTracked / r.seconds;
    const roles = Object.fromEntries(
      Object.entries(model.timings.snapshot()).map(([role, t]) => [
        role,
        { calls: t.calls, meanMs: +t.meanMs.toFixed(3), msPerFrame: +(t.totalMs / r.framesTracked).toFixed(3) },
      ]),
    );
    console.log(
      JSON.stringify({
        bench: 'engine',
        model: model.manifest.name,
        objects,
        frames: r.framesTracked,
        fps: +fps[objects].toFixed(2),
        msPerFrame: +((r.seconds * 1000) / r.framesTracked).toFixed(2),
        roles,
      }),
    );
  }
  await model.release();
  const rss300 = await rssRun(manifest, Number(process.env.BENCH_RSS_SHORT ?? 300));
  console.log(JSON.stringify({ bench: 'engine-rss', ...rss300 }));
  const rss3000 = await rssRun(manifest, Number(process.env.BENCH_RSS_LONG ?? 3000));
  console.log(JSON.stringify({ bench: 'engine-rss', ...rss3000 }));
  const ratio16 = fps[1]! / fps[16]!;
  console.log(
    `objects16/objects1 ${ratio16.toFixed(3)} rss3000/rss300 ${(rss3000.peakRssMb / rss300.peakRssMb).toFixed(3)} fps1 ${fps[1]!.toFixed(2)}`,
  );
}
