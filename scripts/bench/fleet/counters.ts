/**
 * What the coordination layer asks of its backing services, counted at the services or at the client
 * every process shares:
 * - Redis: `INFO commandstats` (calls per command, server-wide; the bench owns this Redis). The
 *   counter's own INFO calls are left out.
 * - Postgres: pg_stat_statements (calls per statement, BEGIN/COMMIT included) when the server preloads
 *   it (scripts/services.mjs does where Debian ships the module), read as the `postgres` superuser; else
 *   pg_stat_database's committed + rolled-back transactions, a lower bound (a transaction holds one or
 *   more statements), and the report says which.
 * - S3: every S3Client's send() in this process (the workers' object stores, lib-storage uploads).
 */
import { S3Client } from '@aws-sdk/client-s3';
import IORedis from 'ioredis';
import pg from 'pg';

export interface Counts {
  redis: Map<string, number>;
  pg: number;
  s3: Map<string, number>;
  s3Puts: number;
}

export interface CountDelta {
  redis: number;
  redisByCommand: Record<string, number>;
  pg: number;
  s3: number;
  s3ByCommand: Record<string, number>;
  /** Latency of the PutObjects that completed between the two reads (ms). */
  s3PutMs: number[];
}

const s3Calls = new Map<string, number>();
/** Milliseconds of every PutObject, in completion order (how long the write-behind waits on S3). */
const s3PutMs: number[] = [];
let s3Patched = false;

/** Counts S3 requests by command name from now on (all S3Client instances of this process). */
export function countS3Requests(): void {
  if (s3Patched) return;
  s3Patched = true;
  // Kept to be called with each instance's `this` (send.apply below), which is what the rule asks for.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const send = S3Client.prototype.send as (...args: unknown[]) => unknown;
  S3Client.prototype.send = function (this: S3Client, ...args: unknown[]) {
    const name = (args[0] as { constructor?: { name?: string } })?.constructor?.name ?? 'unknown';
    s3Calls.set(name, (s3Calls.get(name) ?? 0) + 1);
    const started = performance.now();
    const sent = send.apply(this, args) as Promise<unknown>;
    if (name === 'PutObjectCommand')
      void sent.then(
        () => s3PutMs.push(performance.now() - started),
        () => undefined,
      );
    return sent;
  } as S3Client['send'];
}

export class ServiceCounters {
  private constructor(
    private readonly redis: IORedis,
    private readonly pgClient: pg.Client,
    private readonly database: string,
    /** 'statements' (pg_stat_statements) or 'transactions' (pg_stat_database). */
    readonly pgUnit: 'statements' | 'transactions',
  ) {}

  static async open(redisUrl: string, databaseUrl: string): Promise<ServiceCounters> {
    const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
    const database = new URL(databaseUrl).pathname.slice(1);
    const admin = new URL(databaseUrl);
    admin.username = 'postgres';
    admin.password = '';
    admin.pathname = '/postgres';
    const su = new pg.Client({ connectionString: admin.toString() });
    try {
      await su.connect();
      await su.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await su.query('SELECT calls FROM pg_stat_statements LIMIT 1');
      return new ServiceCounters(redis, su, database, 'statements');
    } catch {
      await su.end().catch(() => undefined);
      const own = new pg.Client({ connectionString: databaseUrl });
      await own.connect();
      return new ServiceCounters(redis, own, database, 'transactions');
    }
  }

  /** The server's connection limit (each worker holds a pool of its own). */
  async maxConnections(): Promise<number> {
    const r = await this.pgClient.query<{ max_connections: string }>('SHOW max_connections');
    return Number(r.rows[0]!.max_connections);
  }

  async read(): Promise<Counts> {
    const info = await this.redis.info('commandstats');
    const redis = new Map<string, number>();
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (m[1] !== 'info') redis.set(m[1]!, Number(m[2]));
    }
    const sql =
      this.pgUnit === 'statements'
        ? `SELECT coalesce(sum(calls), 0)::bigint AS n FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
           WHERE d.datname = $1 AND s.query NOT LIKE '%pg_stat_statements%'`
        : 'SELECT (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database WHERE datname = $1';
    const r = await this.pgClient.query<{ n: string }>(sql, [this.database]);
    return { redis, pg: Number(r.rows[0]?.n ?? 0), s3: new Map(s3Calls), s3Puts: s3PutMs.length };
  }

  static delta(a: Counts, b: Counts): CountDelta {
    const diff = (x: Map<string, number>, y: Map<string, number>): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const [k, v] of y) if (v - (x.get(k) ?? 0) > 0) out[k] = v - (x.get(k) ?? 0);
      return Object.fromEntries(Object.entries(out).sort((p, q) => q[1] - p[1]));
    };
    const redisByCommand = diff(a.redis, b.redis);
    const s3ByCommand = diff(a.s3, b.s3);
    const sum = (o: Record<string, number>): number => Object.values(o).reduce((s, v) => s + v, 0);
    return {
      redis: sum(redisByCommand),
      redisByCommand,
      pg: b.pg - a.pg,
      s3: sum(s3ByCommand),
      s3ByCommand,
      s3PutMs: s3PutMs.slice(a.s3Puts, b.s3Puts),
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.pgClient.end();
  }
}
