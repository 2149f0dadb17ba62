import { loadConfig } from '@masklet/config';
import { startTelemetry } from '@masklet/telemetry';
import { createApiApp } from './app';
import { createLogger } from './core/deps';

async function main(): Promise<void> {
  const config = loadConfig();
  // Before the app: its request spans need the provider registered.
  const telemetry = startTelemetry('masklet-api', config.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (telemetry.enabled)
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => void telemetry.shutdown().finally(() => process.exit(0)));
  const logger = createLogger(config);
  const app = await createApiApp(config, { logger });
  await app.listen(config.API_PORT);
  logger.info({ port: config.API_PORT, tracing: telemetry.enabled }, 'masklet api listening');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
