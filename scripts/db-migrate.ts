// npm run db:migrate: applies prisma/migrations to DATABASE_URL without Prisma's schema-engine binary.
// Without DATABASE_URL it uses the local instance from `node scripts/services.mjs up` (.tmp/services/env).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@masklet/config';
import { migrate, MigrationError } from '@masklet/db';

const root = projectRoot();

function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const envFile = join(root, '.tmp', 'services', 'env');
  if (existsSync(envFile)) {
    const m = /^export DATABASE_URL='([^']*)'$/m.exec(readFileSync(envFile, 'utf8'));
    if (m?.[1]) return m[1];
  }
  throw new MigrationError('DATABASE_URL is not set and no local services are up (run `node scripts/services.mjs up`)');
}

async function main(): Promise<void> {
  const result = await migrate({
    databaseUrl: databaseUrl(),
    migrationsDir: join(root, 'prisma', 'migrations'),
    log: (line) => console.log(`db:migrate: ${line}`),
  });
  if (result.applied.length === 0)
    console.log(`db:migrate: up to date (${result.alreadyApplied.length} migrations applied)`);
  else console.log(`db:migrate: applied ${result.applied.length} (${result.applied.join(', ')})`);
}

main().catch((e: unknown) => {
  console.error(`db:migrate: ${e instanceof MigrationError ? e.message : e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
