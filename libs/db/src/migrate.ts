// Offline `prisma migrate deploy`: applies prisma/migrations/<timestamp>_<name>/migration.sql in order and
// records each in `_prisma_migrations` exactly as Prisma Migrate does (same table, sha256 checksum of the
// file's bytes, applied_steps_count 1), so Prisma's own CLI sees the same history as applied.
// Unlike Prisma, each migration runs in one transaction together with its history row.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

export interface MigrationFile {
  /** Directory name, e.g. 20260101000000_init (Prisma's migration_name). */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes. */
  checksum: string;
}

export interface MigrateOptions {
  databaseUrl: string;
  /** Defaults to prisma/migrations under the working directory. */
  migrationsDir?: string;
  log?: (line: string) => void;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Prisma's history table (schema-engine's postgres connector, verbatim column set and types). */
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock key Prisma Migrate takes, so this runner and `prisma migrate deploy` exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

export function migrationChecksum(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the migrations directory in name order (Prisma orders by directory name). */
export function readMigrations(migrationsDir = join(process.cwd(), 'prisma', 'migrations')): MigrationFile[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`migrations directory ${migrationsDir} does not exist`);
  const lock = join(migrationsDir, 'migration_lock.toml');
  if (existsSync(lock)) {
    const provider = /provider\s*=\s*"([^"]+)"/.exec(readFileSync(lock, 'utf8'))?.[1];
    if (provider !== 'postgresql')
      throw new MigrationError(`${lock} names provider "${provider}", expected "postgresql"`);
  }
  return readdirSync(migrationsDir)
    .filter((d) => statSync(join(migrationsDir, d)).isDirectory())
    .sort()
    .map((name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new MigrationError(`${join(migrationsDir, name)} has no migration.sql`);
      const bytes = readFileSync(file);
      return { name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) };
    });
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies the pending migrations; refuses when an applied one's file changed or a previous attempt failed. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(options.migrationsDir);
  const client = new Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
  } catch (e) {
    throw new MigrationError(`cannot connect to ${redact(options.databaseUrl)}: ${(e as Error).message}`);
  }
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(HISTORY_TABLE);
    const { rows } = await client.query<HistoryRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at ASC',
    );
    const live = rows.filter((r) => r.rolled_back_at === null);
    const known = new Set(migrations.map((m) => m.name));

    const failed = live.filter((r) => r.finished_at === null);
    if (failed.length) {
      throw new MigrationError(
        `migration ${failed.map((r) => r.migration_name).join(', ')} started but did not finish (failed earlier); ` +
          'resolve it (prisma migrate resolve) before applying more',
      );
    }
    for (const r of live) {
      if (!known.has(r.migration_name))
        log(`warning: ${r.migration_name} is applied in the database but missing from the migrations directory`);
    }
    for (const m of migrations) {
      const applied = live.filter((r) => r.migration_name === m.name);
      if (applied.length) {
        const changed = applied.find((r) => r.checksum !== m.checksum);
        if (changed) {
          throw new MigrationError(
            `migration ${m.name} was modified after it was applied (checksum ${m.checksum} in the file, ` +
              `${changed.checksum} in _prisma_migrations); add a new migration instead of editing an applied one`,
          );
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      log(`applying ${m.name}`);
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`migration ${m.name} failed and was rolled back: ${(e as Error).message}`);
      }
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
