/**
 * Child process of the real-size engine bench: one object count per process, so each peak RSS is
 * that count's alone. Loads the model with the environment's runtime settings, warms up on two
 * frames, then tracks N objects through the frames and prints one JSON line.
 */
import { runtimeFromEnv, SamModel } from '@masklet/engine';
import { runWorkload } from './engine-workload';

export interface RealRun {
  objects: number;
  frames: number;
  seconds: number;
  peakRssMb: number;
  /** Per role: calls, ms per tracked frame. */
  roles: Record<string, { calls: number; msPerFrame: number }>;
}

async function main(): Promise<void> {
  const [manifest, objectsArg, framesArg] = process.argv.slice(2);
  const objects = Number(objectsArg);
  const model = await SamModel.load(manifest!, { runtime: runtimeFromEnv(process.env) });
  try {
    await runWorkload(model, objects, 2);
    model.timings.reset();
    const { seconds, framesTracked } = await runWorkload(model, objects, Number(framesArg));
    const roles = Object.fromEntries(
      Object.entries(model.timings.snapshot()).map(([role, t]) => [
        role,
        { calls: t.calls, msPerFrame: +(t.totalMs / framesTracked).toFixed(1) },
      ]),
    );
    const run: RealRun = {
      objects,
      frames: framesTracked,
      seconds,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      roles,
    };
    console.log(JSON.stringify(run));
  } finally {
    await model.release();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
