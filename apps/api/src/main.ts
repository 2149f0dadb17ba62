import { loadConfig } from '@masklet/config';
import { createApiApp } from './app';
import { createLogger } from './core/deps';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const app = await createApiApp(config, { logger });
  await app.listen(config.API_PORT);
  logger.info({ port: config.API_PORT }, 'masklet api listening');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
