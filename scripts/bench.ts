/** npm run bench -- <annotate|engine|platform|preview> [args]: benchmarks that print numbers (never timed tests). */
import { runAnnotateBench } from './bench/annotate';
import { runEngineBench } from './bench/engine';
import { runPlatformBench } from './bench/platform';
import { runPreviewBench } from './bench/preview';

const benches: Record<string, (argv: string[]) => Promise<void>> = {
  annotate: runAnnotateBench,
  engine: runEngineBench,
  platform: runPlatformBench,
  preview: runPreviewBench,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) throw new Error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  await bench(process.argv.slice(3));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err, (err as { cause?: unknown }).cause ?? "");
  process.exit(1);
});
