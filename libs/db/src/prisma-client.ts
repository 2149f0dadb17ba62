import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}
