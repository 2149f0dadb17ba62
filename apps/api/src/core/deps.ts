import pino, { type Logger } from 'pino';
import type { Redis } from 'ioredis';
import { loadModelRegistry, type MaskletConfig } from '@masklet/config';
import { createPrismaClient, type PrismaClient } from '@masklet/db';
import { createRedisConnection } from '@masklet/queue';
import { createObjectStoreFromEnv, type ObjectStore } from '@masklet/storage';
import { QueueRegistry } from './queues';

/** The API's connections to the outside; tests may pass their own, which the app then does not close. */
export interface ApiDeps {
  prisma: PrismaClient;
  redis: Redis;
  store: ObjectStore;
  logger: Logger;
}

export interface OwnedDeps extends ApiDeps {
  queues: QueueRegistry;
  close(): Promise<void>;
}

export function createLogger(config: MaskletConfig): Logger {
  return pino({ level: config.LOG_LEVEL, base: { service: 'api' } });
}

export function createObjectStoreFromConfig(config: MaskletConfig): ObjectStore {
  return createObjectStoreFromEnv(config);
}

export function resolveDeps(config: MaskletConfig, given: Partial<ApiDeps> = {}): OwnedDeps {
  const prisma =
    given.prisma ??
    createPrismaClient(config.DATABASE_URL, {
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    });
  const redis = given.redis ?? createRedisConnection(config, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const store = given.store ?? createObjectStoreFromConfig(config);
  const logger = given.logger ?? createLogger(config);
  const queues = new QueueRegistry(redis, loadModelRegistry(config));
  return {
    prisma,
    redis,
    store,
    logger,
    queues,
    async close() {
      await queues.close().catch(() => undefined);
      if (!given.redis) redis.disconnect();
      if (!given.prisma) await prisma.$disconnect();
    },
  };
}
