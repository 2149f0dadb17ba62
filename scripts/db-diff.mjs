#!/usr/bin/env node
// Offline `prisma migrate diff --from-empty --to-schema` and `migrate status` through Prisma's schema engine compiled to
// WebAssembly (@prisma/schema-engine-wasm) and the pg driver adapter: no schema-engine binary, no CDN.
// The wasm package is not a project dependency; install it beside the project first, without saving:
//   npm install --no-save @prisma/schema-engine-wasm@8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323
// (or point SCHEMA_ENGINE_WASM_DIR at an unpacked copy). Needs a reachable Postgres even for the diff
// (DATABASE_URL, or the local services' env file); the diff itself does not touch it.
//
//   node scripts/db-diff.mjs            print the SQL that creates prisma/schema.prisma from an empty database
//                                       (how prisma/migrations/*_init/migration.sql was produced)
//   node scripts/db-diff.mjs --status   what Prisma's own engine reports about DATABASE_URL's migration history
//                                       (history null, nothing edited or failed = `prisma migrate deploy` agrees)
// Diffing against the existing migrations (a shadow database) is not possible this way: the schema engine's
// describer reads pg_catalog columns of type "char", which @prisma/adapter-pg 7.10 cannot decode. For later
// migrations, diff `--from-empty` before and after the schema change and write the difference by hand, or run
// `prisma migrate dev --create-only` where the engine binary can be downloaded.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readEnvFile } from './services.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const args = process.argv.slice(2);
const flag = (f) => args.includes(f);

async function loadEngine() {
  let dir = process.env.SCHEMA_ENGINE_WASM_DIR;
  if (!dir) {
    try {
      dir = dirname(require.resolve('@prisma/schema-engine-wasm/package.json'));
    } catch {
      throw new Error('@prisma/schema-engine-wasm is not installed; see the header of scripts/db-diff.mjs');
    }
  }
  const bg = await import(pathToFileURL(join(dir, 'schema_engine_bg.js')).href);
  const mod = await WebAssembly.compile(readFileSync(join(dir, 'schema_engine_bg.wasm')));
  const importModule = WebAssembly.Module.imports(mod)[0].module;
  const instance = await WebAssembly.instantiate(mod, { [importModule]: bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg;
}

function migrationsList() {
  const baseDir = join(ROOT, 'prisma', 'migrations');
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir)
        .filter((d) => statSync(join(baseDir, d)).isDirectory())
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((d) => ({
      path: d,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(join(baseDir, d, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL ?? readEnvFile()?.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('DATABASE_URL is not set and no local services are up (node scripts/services.mjs up)');
  const bg = await loadEngine();
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const schemaPath = join(ROOT, 'prisma', 'schema.prisma');
  const schema = readFileSync(schemaPath, 'utf8');
  const u = new URL(databaseUrl);
  const pgConfig = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pgConfig));
  const engine = await bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
  const filters = { externalTables: [], externalEnums: [] };

  if (flag('--status')) {
    const r = await engine.diagnoseMigrationHistory({
      migrationsList: migrationsList(),
      optInToShadowDatabase: false,
      filters,
    });
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  const r = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters,
  });
  process.stdout.write(r.stdout ?? '');
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(`db-diff: ${e?.message ?? e}`);
    process.exit(1);
  },
);
