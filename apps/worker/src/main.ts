/** npm run worker — a worker process: all queues, graceful shutdown on SIGTERM / SIGINT. */
import { loadConfig } from '@masklet/config';
import { startTelemetry } from '@masklet/telemetry';
import { startWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const telemetry = startTelemetry('masklet-worker', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const handle = await startWorker(config);
  const log = handle.ctx.log;
  let signals = 0;
  const shutdown = (signal: string): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'shutting down: releasing the current frame, closing queues');
    handle
      .close()
      .then(() => telemetry.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
