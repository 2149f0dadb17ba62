#!/usr/bin/env node
// Local backing services for tests, the demo and CI: PostgreSQL, Redis and an S3-compatible endpoint.
//
//   node scripts/services.mjs up      start what is missing (idempotent), print `export K=V` lines
//   node scripts/services.mjs env     print the settings of the last `up` (the env file)
//   node scripts/services.mjs status  say what runs
//   node scripts/services.mjs stop    stop the instances this script started
//
// Usage from a shell: eval "$(node scripts/services.mjs up)"   (or: . .tmp/services/env after `up`)
//
// A service whose variable is already set (DATABASE_URL, REDIS_URL, S3_ENDPOINT) is used as given and not
// started. Otherwise the project runs its own instance on a dedicated port with its state under
// .tmp/services/ (git-ignored), installing the Debian packages `postgresql` / `redis-server` when their
// binaries are missing. The instances keep running after this script exits.
// Plain node without dependencies: it runs before and independently of the npm install.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  chownSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const STATE_DIR = process.env.MASKLET_SERVICES_DIR
  ? resolve(process.env.MASKLET_SERVICES_DIR)
  : join(ROOT, '.tmp', 'services');
export const ENV_FILE = join(STATE_DIR, 'env');

const PG_PORT = Number(process.env.MASKLET_PG_PORT ?? 55432);
const REDIS_PORT = Number(process.env.MASKLET_REDIS_PORT ?? 56379);
const S3_PORT = Number(process.env.MASKLET_S3_PORT ?? 54569);
const HOST = '127.0.0.1';

export const DEFAULTS = {
  DATABASE_URL: `postgresql://masklet:masklet@${HOST}:${PG_PORT}/masklet`,
  REDIS_URL: `redis://${HOST}:${REDIS_PORT}`,
  S3_ENDPOINT: `http://${HOST}:${S3_PORT}`,
  S3_BUCKET: 'masklet',
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  S3_FORCE_PATH_STYLE: 'true',
};

const log = (msg) => process.stderr.write(`services: ${msg}\n`);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class ServiceError extends Error {}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.error) throw new ServiceError(`${cmd}: ${r.error.message}`);
  return r;
}

function mustSh(cmd, args, opts = {}, what = `${cmd} ${args.join(' ')}`) {
  const r = sh(cmd, args, opts);
  if (r.status !== 0)
    throw new ServiceError(`${what} failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim()}`);
  return r;
}

function which(bin) {
  return sh('sh', ['-c', `command -v ${bin}`]).stdout.trim() || undefined;
}

// ---------------------------------------------------------------------------------------------- apt
/** infra/local/apt-install.sh: waits (bounded) for another apt process's locks; its output goes to our stderr. */
function aptInstall(pkgs) {
  const r = sh('bash', [join(ROOT, 'infra', 'local', 'apt-install.sh'), ...pkgs], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0)
    throw new ServiceError(
      `installing ${pkgs.join(', ')} failed (exit ${r.status}); install them or set the service URLs`,
    );
}

// ---------------------------------------------------------------------------------------------- probes
function tcpOpen(port, host = HOST, timeoutMs = 1000) {
  return new Promise((res) => {
    const s = connect({ port, host });
    const done = (ok) => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function redisPing(port, host = HOST, timeoutMs = 1000) {
  return new Promise((res) => {
    const s = connect({ port, host });
    let buf = '';
    const done = (ok) => {
      s.destroy();
      res(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => s.write('PING\r\n'));
    s.on('data', (d) => {
      buf += d;
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    s.once('error', () => done(false));
  });
}

async function httpOk(url, timeoutMs = 2000) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return r.status < 500;
  } catch {
    return false;
  }
}

async function waitFor(what, probe, timeoutMs, logFile) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (await probe()) return;
    await sleep(250);
  }
  let tail = '';
  if (logFile && existsSync(logFile))
    tail = `\n--- last lines of ${logFile} ---\n` + readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  throw new ServiceError(`${what} not ready after ${Math.round(timeoutMs / 1000)} s${tail}`);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function readPid(file) {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim().split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------- postgres
function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  const pgCtl = which('pg_ctl');
  return pgCtl ? dirname(pgCtl) : undefined;
}

function ensurePgInstalled() {
  let bin = pgBinDir();
  if (bin && existsSync(join(bin, 'initdb'))) return bin;
  // The Debian package would otherwise create (and try to start) a "main" cluster on 5432 that we never use.
  const conf = '/etc/postgresql-common/createcluster.conf';
  if (isRoot && !existsSync(conf)) {
    mkdirSync(dirname(conf), { recursive: true });
    writeFileSync(conf, 'create_main_cluster = false\n');
  }
  aptInstall(['postgresql']);
  bin = pgBinDir();
  if (!bin || !existsSync(join(bin, 'initdb')))
    throw new ServiceError('postgresql installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin');
  return bin;
}

/** root cannot run postgres: as root the cluster belongs to the `postgres` OS user (created by the package). */
function pgRunner() {
  if (!isRoot) return (cmd, args, opts) => sh(cmd, args, opts);
  const id = sh('id', ['-u', 'postgres']);
  if (id.status !== 0)
    throw new ServiceError(
      'running as root but there is no `postgres` OS user (apt-get install postgresql creates it)',
    );
  return (cmd, args, opts) => sh('runuser', ['-u', 'postgres', '--', cmd, ...args], opts);
}

/** The data directory must be reachable by the postgres user; as root, fall back to /var/tmp when the repo is not. */
function pgDataRoot() {
  const preferred = join(STATE_DIR, 'postgres');
  if (!isRoot) return preferred;
  mkdirSync(preferred, { recursive: true });
  if (sh('runuser', ['-u', 'postgres', '--', 'test', '-x', STATE_DIR]).status === 0) return preferred;
  const alt = join('/var/tmp', `masklet-pg-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`);
  log(`${STATE_DIR} is not reachable by the postgres user; cluster lives in ${alt}`);
  return alt;
}

async function ensurePostgres() {
  const bin = ensurePgInstalled();
  const run = pgRunner();
  const root = pgDataRoot();
  const data = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  mkdirSync(root, { recursive: true });
  if (isRoot) {
    const ids = sh('id', ['-u', 'postgres']).stdout.trim();
    const gid = sh('id', ['-g', 'postgres']).stdout.trim();
    chownSync(root, Number(ids), Number(gid));
  }
  const psql = (sql, db = 'postgres') =>
    run(join(bin, 'psql'), [
      '-h',
      HOST,
      '-p',
      String(PG_PORT),
      '-U',
      'postgres',
      '-d',
      db,
      '-v',
      'ON_ERROR_STOP=1',
      '-tAc',
      sql,
    ]);

  if (!existsSync(join(data, 'PG_VERSION'))) {
    if (await tcpOpen(PG_PORT))
      throw new ServiceError(`port ${PG_PORT} is taken by another process; set DATABASE_URL or MASKLET_PG_PORT`);
    log(`initdb ${data}`);
    const r = run(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-instructions',
    ]);
    if (r.status !== 0) throw new ServiceError(`initdb failed: ${r.stderr.trim()}`);
    const conf = [
      '',
      '# masklet local instance (scripts/services.mjs)',
      `port = ${PG_PORT}`,
      `listen_addresses = '${HOST}'`,
      "unix_socket_directories = ''",
      // The fleet benchmark runs hundreds of in-process workers, each with its own pool.
      'max_connections = 1000',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      // Statement counts for the fleet benchmark (scripts/bench/fleet), when the package ships the module.
      ...(existsSync(join(bin, '..', 'lib', 'pg_stat_statements.so'))
        ? ["shared_preload_libraries = 'pg_stat_statements'"]
        : []),
      '',
    ].join('\n');
    const r2 = run('sh', ['-c', `cat >> '${join(data, 'postgresql.conf')}'`], { input: conf });
    if (r2.status !== 0) throw new ServiceError(`writing postgresql.conf failed: ${r2.stderr}`);
    writeFileSync(join(STATE_DIR, 'postgres.datadir'), data + '\n');
  }
  writeFileSync(join(STATE_DIR, 'postgres.datadir'), data + '\n');

  const running = run(join(bin, 'pg_ctl'), ['-D', data, 'status']).status === 0;
  if (!running) {
    if (await tcpOpen(PG_PORT))
      throw new ServiceError(`port ${PG_PORT} is taken by another process; set DATABASE_URL or MASKLET_PG_PORT`);
    log(`starting postgres on ${HOST}:${PG_PORT}`);
    // pg_ctl daemonizes the postmaster; stdio is detached so the caller does not wait on it.
    const r = run(join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '60', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new ServiceError(`postgres did not start (exit ${r.status}): ${(r.stderr || r.stdout).trim()}\n${tail}`);
    }
  }
  await waitFor('postgres', async () => psql('SELECT 1').status === 0, 60_000, logFile);

  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'masklet'").stdout.trim() !== '1') {
    const r = psql("CREATE ROLE masklet LOGIN PASSWORD 'masklet' CREATEDB");
    if (r.status !== 0) throw new ServiceError(`CREATE ROLE masklet failed: ${r.stderr.trim()}`);
  }
  if (psql("SELECT 1 FROM pg_database WHERE datname = 'masklet'").stdout.trim() !== '1') {
    const r = psql('CREATE DATABASE masklet OWNER masklet');
    if (r.status !== 0) throw new ServiceError(`CREATE DATABASE masklet failed: ${r.stderr.trim()}`);
  }
  return DEFAULTS.DATABASE_URL;
}

function stopPostgres() {
  const file = join(STATE_DIR, 'postgres.datadir');
  if (!existsSync(file)) return;
  const data = readFileSync(file, 'utf8').trim();
  const bin = pgBinDir();
  if (!bin || !existsSync(join(data, 'PG_VERSION'))) return;
  const run = pgRunner();
  if (run(join(bin, 'pg_ctl'), ['-D', data, 'status']).status !== 0) return;
  log('stopping postgres');
  const r = run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  if (r.status !== 0) throw new ServiceError(`pg_ctl stop failed: ${r.stderr.trim()}`);
}

// ---------------------------------------------------------------------------------------------- redis
async function ensureRedis() {
  const dir = join(STATE_DIR, 'redis');
  const pidFile = join(dir, 'redis.pid');
  const logFile = join(dir, 'redis.log');
  if (await redisPing(REDIS_PORT)) {
    const pid = readPid(pidFile);
    if (!pid || !pidAlive(pid)) log(`something answers PING on ${REDIS_PORT} but it is not our instance; using it`);
    return DEFAULTS.REDIS_URL;
  }
  if (await tcpOpen(REDIS_PORT))
    throw new ServiceError(`port ${REDIS_PORT} is taken by a non-redis process; set REDIS_URL or MASKLET_REDIS_PORT`);
  let server = which('redis-server');
  if (!server) {
    aptInstall(['redis-server']);
    server = which('redis-server');
    if (!server) throw new ServiceError('redis-server installed but not on PATH');
  }
  mkdirSync(dir, { recursive: true });
  log(`starting redis on ${HOST}:${REDIS_PORT}`);
  mustSh(
    server,
    [
      '--port',
      String(REDIS_PORT),
      '--bind',
      HOST,
      '--daemonize',
      'yes',
      '--dir',
      dir,
      '--pidfile',
      pidFile,
      '--logfile',
      logFile,
      '--save',
      '',
      // AOF fsynced every second: a Redis restart keeps the queues (at most ~1 s of writes lost;
      // the worker's queue reconciler re-adds anything Postgres still expects).
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await waitFor('redis', () => redisPing(REDIS_PORT), 30_000, logFile);
  return DEFAULTS.REDIS_URL;
}

async function stopRedis() {
  const dir = join(STATE_DIR, 'redis');
  const pid = readPid(join(dir, 'redis.pid'));
  if (!pid || !pidAlive(pid) || !cmdline(pid).includes('redis-server')) return;
  log('stopping redis');
  process.kill(pid, 'SIGTERM');
  await waitFor('redis shutdown', async () => !pidAlive(pid), 20_000);
}

// ---------------------------------------------------------------------------------------------- s3rver
async function ensureS3() {
  const dir = join(STATE_DIR, 's3');
  const dataDir = join(dir, 'data');
  const pidFile = join(dir, 's3rver.pid');
  const logFile = join(dir, 's3rver.log');
  const url = DEFAULTS.S3_ENDPOINT;
  const bucketUrl = `${url}/${DEFAULTS.S3_BUCKET}`;
  if (await httpOk(url)) {
    if (!(await httpOk(bucketUrl))) log(`an S3 endpoint answers on ${url} without bucket ${DEFAULTS.S3_BUCKET}`);
    return url;
  }
  if (await tcpOpen(S3_PORT))
    throw new ServiceError(`port ${S3_PORT} is taken by another process; set S3_ENDPOINT or MASKLET_S3_PORT`);
  const bin = join(ROOT, 'node_modules', 's3rver', 'bin', 's3rver.js');
  if (!existsSync(bin)) throw new ServiceError(`${bin} missing: run npm install first (s3rver is an npm dependency)`);
  mkdirSync(dataDir, { recursive: true });
  log(`starting s3rver on ${url}`);
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [bin, '-d', dataDir, '-a', HOST, '-p', String(S3_PORT), '--configure-bucket', DEFAULTS.S3_BUCKET],
    {
      cwd: dir,
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  closeSync(out);
  writeFileSync(pidFile, `${child.pid}\n`);
  let exited;
  child.once('exit', (code) => {
    exited = code;
  });
  child.unref();
  await waitFor(
    's3rver',
    async () => {
      if (exited !== undefined)
        throw new ServiceError(
          `s3rver exited with ${exited}: see ${logFile}\n${readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}`,
        );
      return (await httpOk(url)) && (await httpOk(bucketUrl));
    },
    30_000,
    logFile,
  );
  return url;
}

async function stopS3() {
  const pid = readPid(join(STATE_DIR, 's3', 's3rver.pid'));
  if (!pid || !pidAlive(pid) || !cmdline(pid).includes('s3rver')) return;
  log('stopping s3rver');
  process.kill(pid, 'SIGTERM');
  await waitFor('s3rver shutdown', async () => !pidAlive(pid), 20_000);
}

// ---------------------------------------------------------------------------------------------- lock / env
async function withLock(fn) {
  mkdirSync(STATE_DIR, { recursive: true });
  const lock = join(STATE_DIR, '.lock');
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 10 * 60_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - t0 > 5 * 60_000)
        throw new ServiceError(`another services run holds ${lock} (remove it if stale)`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const shellQuote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;

function writeEnvFile(env) {
  const body = [
    '# written by scripts/services.mjs; source it: . .tmp/services/env',
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    '',
  ].join('\n');
  writeFileSync(ENV_FILE, body);
  return body;
}

/** Parses an env file written by this script (used by bootstrap and db:migrate). */
export function readEnvFile(file = ENV_FILE) {
  if (!existsSync(file)) return undefined;
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)='((?:[^']|'\\'')*)'$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace(/'\\''/g, "'");
  }
  return env;
}

/** Starts what is missing and returns the connection settings (also written to the env file). */
export async function ensureServices(env = process.env) {
  return withLock(async () => {
    const out = {};
    out.DATABASE_URL = env.DATABASE_URL || (await ensurePostgres());
    out.REDIS_URL = env.REDIS_URL || (await ensureRedis());
    if (env.S3_ENDPOINT) {
      out.S3_ENDPOINT = env.S3_ENDPOINT;
      for (const k of ['S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE']) {
        if (env[k] !== undefined) out[k] = env[k];
        else if (k === 'S3_BUCKET' || k === 'S3_REGION' || k === 'S3_FORCE_PATH_STYLE') out[k] = DEFAULTS[k];
      }
    } else {
      out.S3_ENDPOINT = await ensureS3();
      out.S3_BUCKET = DEFAULTS.S3_BUCKET;
      out.S3_REGION = DEFAULTS.S3_REGION;
      out.S3_ACCESS_KEY_ID = DEFAULTS.S3_ACCESS_KEY_ID;
      out.S3_SECRET_ACCESS_KEY = DEFAULTS.S3_SECRET_ACCESS_KEY;
      out.S3_FORCE_PATH_STYLE = DEFAULTS.S3_FORCE_PATH_STYLE;
    }
    writeEnvFile(out);
    return out;
  });
}

export async function stopServices() {
  return withLock(async () => {
    stopPostgres();
    await stopRedis();
    await stopS3();
  });
}

async function status() {
  const lines = [];
  const pgData = existsSync(join(STATE_DIR, 'postgres.datadir'))
    ? readFileSync(join(STATE_DIR, 'postgres.datadir'), 'utf8').trim()
    : '(none)';
  lines.push(`postgres ${HOST}:${PG_PORT} ${(await tcpOpen(PG_PORT)) ? 'up' : 'down'} (data ${pgData})`);
  lines.push(`redis    ${HOST}:${REDIS_PORT} ${(await redisPing(REDIS_PORT)) ? 'up' : 'down'}`);
  lines.push(`s3rver   ${DEFAULTS.S3_ENDPOINT} ${(await httpOk(DEFAULTS.S3_ENDPOINT)) ? 'up' : 'down'}`);
  lines.push(`env file ${existsSync(ENV_FILE) ? ENV_FILE : '(none)'}`);
  return lines.join('\n');
}

async function main() {
  const cmd = process.argv[2] ?? 'up';
  try {
    if (cmd === 'up') {
      const env = await ensureServices();
      process.stdout.write(readFileSync(ENV_FILE, 'utf8'));
      log(`ready; settings in ${ENV_FILE}`);
      void env;
    } else if (cmd === 'env') {
      if (!existsSync(ENV_FILE)) throw new ServiceError(`${ENV_FILE} missing: run \`node scripts/services.mjs up\``);
      process.stdout.write(readFileSync(ENV_FILE, 'utf8'));
    } else if (cmd === 'stop') {
      await stopServices();
      log('stopped');
    } else if (cmd === 'status') {
      console.log(await status());
    } else {
      console.error('usage: node scripts/services.mjs [up|env|status|stop]');
      process.exit(2);
    }
  } catch (e) {
    log(`error: ${e instanceof ServiceError ? e.message : (e.stack ?? e)}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
