import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { ErrorBody, Readiness } from '@masklet/contract';
import type { PrismaClient } from '@masklet/db';
import type { ObjectStore } from '@masklet/storage';
import { Public } from '../auth/scopes.decorator';
import type { Logger } from 'pino';
import { DEPENDENCY_RETRY_AFTER_S } from '../common/dependency-error';
import { LOGGER, OBJECT_STORE, PRISMA, REDIS } from '../core/tokens';

const CHECK_TIMEOUT_MS = 3000;

@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res({ passthrough: true }) res: Response): Promise<Readiness | ErrorBody> {
    const checks = {
      postgres: () => this.prisma.$queryRaw`SELECT 1`,
      redis: () => this.redis.ping(),
      s3: () => this.store.ping(),
    };
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, fn]) => {
        try {
          await withTimeout(fn(), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (err) {
          // The driver's message (addresses, ports) goes to the log, not to an unauthenticated caller.
          this.log.warn({ err, dependency: name }, 'readiness check failed');
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const failed = results.filter(([, r]) => r !== 'ok').map(([n]) => n);
    if (failed.length) {
      res.status(503).setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_S));
      return {
        error: {
          code: 'NOT_READY',
          message: `not ready: ${failed.join(', ')} failed`,
          details: Object.fromEntries(results),
        },
      };
    }
    return { status: 'ready', checks: { postgres: 'ok', redis: 'ok', s3: 'ok' } };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref()),
  ]);
}
