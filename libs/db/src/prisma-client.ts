import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export interface CreatePrismaClientOptions {
  /** Connection pool size of this client (node-postgres Pool `max`); pg's default is 10. */
  poolSize?: number;
  /** pg pool connectionTimeoutMillis: how long to wait for a connection to an unreachable server. */
  connectTimeoutMs?: number;
  /** Server statement_timeout and client query_timeout: no query waits longer, even on a paused server. */
  statementTimeoutMs?: number;
}

/**
 * A Prisma client over node-postgres (driver adapter: Prisma 7 needs no query-engine binary).
 * The caller owns it: `await prisma.$disconnect()` when done.
 */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  if (!databaseUrl) throw new Error('createPrismaClient: databaseUrl is empty (set DATABASE_URL)');
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    ...(options.poolSize ? { max: options.poolSize } : {}),
    ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
    ...(options.statementTimeoutMs
      ? { statement_timeout: options.statementTimeoutMs, query_timeout: options.statementTimeoutMs + 1000 }
      : {}),
  });
  return new PrismaClient({ adapter });
}
