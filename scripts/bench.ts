/** npm run bench -- <annotate|engine|fleet|platform|preview> [args]: benchmarks that print numbers (never timed tests). */
import { runAnnotateBench } from './bench/annotate';
import { runEngineBench } from './bench/engine';
import { runFleetBench } from './bench/fleet';
import { runPlatformBench } from './bench/platform';
import { runPreviewBench } from './bench/preview';

const benches: Record<string, (argv: string[]) => Promise<void>> = {
  annotate: runAnnotateBench,
  engine: runEngineBench,
  fleet: runFleetBench,
  platform: runPlatformBench,
  preview: runPreviewBench,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const bench = name ? benches[name] : undefined;
  if (!bench) throw new Error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>`);
  await bench(process.argv.slice(3));
}

// Exits once the bench returns: idle keep-alive sockets of the clients it made must not hold the process.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err, (err as { cause?: unknown }).cause ?? '');
    process.exit(1);
  },
);
