import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export interface CreatePrismaClientOptions {
  /** Connection pool size of this client (node-postgres Pool `max`); pg's default is 10. */
  poolSize?: number;
}

/**
 * A Prisma client over node-postgres (driver adapter: Prisma 7 needs no query-engine binary).
 * The caller owns it: `await prisma.$disconnect()` when done.
 */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  if (!databaseUrl) throw new Error('createPrismaClient: databaseUrl is empty (set DATABASE_URL)');
  const adapter = new PrismaPg({ connectionString: databaseUrl, ...(options.poolSize ? { max: options.poolSize } : {}) });
  return new PrismaClient({ adapter });
}
