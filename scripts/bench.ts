/** npm run bench -- <engine|platform|preview>: benchmarks that print numbers (never timed tests). */
import { runEngineBench } from './bench/engine';
import { runPlatformBench } from './bench/platform';
import { runPreviewBench } from './bench/preview';

const benches: Record<string, () => Promise<void>> = {
  engine: runEngineBench,
  platform: runPlatformBench,
  preview: runPreviewBench,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) throw new Error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  await bench();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
