/** Child process of the engine bench: tracks one object through N synthetic frames, prints peak RSS. */
import { SamModel } from '@masklet/engine';
import { runWorkload } from './engine-workload';

async function main(): Promise<void> {
  const [manifest, framesArg] = process.argv.slice(2);
  const frames = Number(framesArg);
  const model = await SamModel.load(manifest!);
  const samples: number[] = [];
  const { seconds, framesTracked } = await runWorkload(model, 1, frames, (f) => {
    if (f % 50 === 0) samples.push(process.memoryUsage().rss);
  });
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      frames: framesTracked,
      seconds,
      peakRssMb,
      rssSamplesMb: samples.map((b) => Math.round(b / 1048576)),
    }),
  );
  await model.release();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
