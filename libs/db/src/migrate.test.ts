// Real-Postgres tests of the offline migration runner and the Prisma client (DATABASE_URL, which
// `node scripts/test.mjs` provides through scripts/services.mjs). Each test run uses a fresh database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { $Enums, Prisma, createPrismaClient, dropDatabase, migrate, readMigrations, MigrationError } from '@masklet/db';

const MIGRATIONS = resolve(__dirname, '..', '..', '..', 'prisma', 'migrations');
const baseUrl = process.env.DATABASE_URL;
const skip = baseUrl
  ? false
  : 'DATABASE_URL is not set (run through `node scripts/test.mjs`, which starts the services)';

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Prisma scalar/enum field types -> information_schema udt_name of the column (lists: with a leading _). */
const UDT: Record<string, string[]> = {
  String: ['text', 'uuid', 'varchar'],
  Int: ['int4'],
  BigInt: ['int8'],
  Float: ['float8'],
  Boolean: ['bool'],
  DateTime: ['timestamp'],
  Json: ['jsonb'],
  Bytes: ['bytea'],
  Decimal: ['numeric'],
};

interface RuntimeField {
  name: string;
  kind: string;
  type: string;
  dbName?: string | null;
}
interface RuntimeModel {
  fields: RuntimeField[];
  dbName: string | null;
}

describe('db: offline migrations', { skip }, () => {
  const dbName = `masklet_mt_${randomBytes(4).toString('hex')}`;
  let url = '';
  const scratch: string[] = [];

  before(async () => {
    await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
    url = withDatabase(baseUrl!, dbName);
  });

  after(async () => {
    for (const d of scratch) rmSync(d, { recursive: true, force: true });
    await dropDatabase(baseUrl!, dbName);
  });

  test('migrates a fresh database and records the history as Prisma Migrate does', async () => {
    const files = readMigrations(MIGRATIONS);
    assert.ok(files.length >= 1);
    const r = await migrate({ databaseUrl: url, migrationsDir: MIGRATIONS });
    assert.deepEqual(
      r.applied,
      files.map((f) => f.name),
    );
    assert.deepEqual(r.alreadyApplied, []);

    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query(
        'SELECT id, migration_name, checksum, logs, rolled_back_at, started_at, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
      );
      assert.equal(rows.length, files.length);
      rows.forEach((row, i) => {
        const f = files[i]!;
        assert.equal(row.migration_name, f.name);
        assert.equal(row.checksum, f.checksum);
        assert.match(row.checksum, /^[0-9a-f]{64}$/);
        assert.match(row.id, /^[0-9a-f-]{36}$/);
        assert.equal(row.logs, null);
        assert.equal(row.rolled_back_at, null);
        assert.equal(row.applied_steps_count, 1);
        assert.ok(row.finished_at instanceof Date && row.finished_at >= row.started_at);
      });
      // Same column set and types as Prisma's own history table.
      const cols = await c.query(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
      );
      assert.deepEqual(
        cols.rows.map((x) => `${x.column_name}:${x.data_type}:${x.is_nullable}`),
        [
          'id:character varying:NO',
          'checksum:character varying:NO',
          'finished_at:timestamp with time zone:YES',
          'migration_name:character varying:NO',
          'logs:text:YES',
          'rolled_back_at:timestamp with time zone:YES',
          'started_at:timestamp with time zone:NO',
          'applied_steps_count:integer:NO',
        ],
      );
    } finally {
      await c.end();
    }
  });

  test('every model and field of the generated client exists as table and column (schema and SQL agree)', async () => {
    const prisma = createPrismaClient(url);
    const dm = (prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel;
    await prisma.$disconnect();
    assert.deepEqual(Object.keys(dm.models).sort(), Object.values(Prisma.ModelName).sort());

    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const { rows } = await c.query<{ table_name: string; column_name: string; udt_name: string }>(
        `SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.udt_name]));
      const enumRows = await c.query<{ typname: string; labels: string[] }>(
        `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
      );
      const enums = new Map(enumRows.rows.map((r) => [r.typname, r.labels]));

      const problems: string[] = [];
      for (const [model, def] of Object.entries(dm.models)) {
        const table = def.dbName ?? model;
        for (const f of def.fields) {
          if (f.kind === 'object') continue;
          const col = f.dbName ?? f.name;
          const udt = columns.get(`${table}.${col}`);
          if (udt === undefined) {
            problems.push(`${model}.${f.name}: no column "${table}"."${col}"`);
            continue;
          }
          const base = udt.startsWith('_') ? udt.slice(1) : udt;
          if (f.kind === 'enum') {
            if (base !== f.type) problems.push(`${model}.${f.name}: column type ${udt}, expected enum ${f.type}`);
          } else if (!(UDT[f.type] ?? []).includes(base)) {
            problems.push(`${model}.${f.name}: column type ${udt} does not fit ${f.type}`);
          }
        }
      }
      for (const [name, values] of Object.entries($Enums)) {
        const labels = enums.get(name);
        if (!labels) problems.push(`enum ${name}: no type in the database`);
        else assert.deepEqual(labels, Object.values(values as Record<string, string>), `enum ${name} labels`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await c.end();
    }
  });

  test('the Prisma client reads and writes the migrated database', async () => {
    const prisma = createPrismaClient(url);
    try {
      const tenant = await prisma.tenant.create({ data: { name: 'acme', webhookSecret: 's' } });
      const video = await prisma.video.create({ data: { tenantId: tenant.id, s3Key: 'v/1.mp4', sizeBytes: 123n } });
      await prisma.job.create({
        data: { tenantId: tenant.id, videoId: video.id, model: 'm', options: { direction: 'forward' } },
      });
      const jobs = await prisma.job.findMany({ where: { tenantId: tenant.id }, include: { video: true } });
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]!.status, 'QUEUED');
      assert.equal(jobs[0]!.video.sizeBytes, 123n);
    } finally {
      await prisma.$disconnect();
    }
  });

  test('re-running is a no-op', async () => {
    const files = readMigrations(MIGRATIONS);
    const r = await migrate({ databaseUrl: url, migrationsDir: MIGRATIONS });
    assert.deepEqual(r.applied, []);
    assert.deepEqual(
      r.alreadyApplied,
      files.map((f) => f.name),
    );
    const n = await admin(async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).rows[0].n as number;
      } finally {
        await c.end();
      }
    });
    assert.equal(n, files.length);
  });

  test('refuses when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'masklet-migrations-'));
    scratch.push(dir);
    cpSync(MIGRATIONS, dir, { recursive: true });
    const first = readMigrations(dir)[0]!;
    appendFileSync(join(dir, first.name, 'migration.sql'), '\n-- edited\n');
    await assert.rejects(
      migrate({ databaseUrl: url, migrationsDir: dir }),
      (e: unknown) =>
        e instanceof MigrationError &&
        /was modified after it was applied/.test(e.message) &&
        e.message.includes(first.name),
    );
  });

  test('a failing migration is rolled back entirely and not recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'masklet-migrations-'));
    scratch.push(dir);
    cpSync(MIGRATIONS, dir, { recursive: true });
    const bad = join(dir, '99990101000000_broken');
    cpSync(join(dir, readMigrations(dir)[0]!.name), bad, { recursive: true });
    writeFileSync(
      join(bad, 'migration.sql'),
      'CREATE TABLE "ShouldVanish" (id int);\nSELECT * FROM "no_such_table";\n',
    );
    await assert.rejects(
      migrate({ databaseUrl: url, migrationsDir: dir }),
      /99990101000000_broken failed and was rolled back/,
    );
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      const t = await c.query(`SELECT to_regclass('public."ShouldVanish"') AS t`);
      assert.equal(t.rows[0].t, null);
      const h = await c.query(
        `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
      );
      assert.equal(h.rows[0].n, 0);
    } finally {
      await c.end();
    }
  });
});
