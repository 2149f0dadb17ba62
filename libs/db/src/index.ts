// @masklet/db: the Prisma client (queries through @prisma/adapter-pg: no engine binary needed).
export { createPrismaClient } from './prisma-client';
export * from './generated/client';
