import { Inject, Injectable } from '@nestjs/common';
import type { PrismaClient } from '@masklet/db';
import type { Logger } from 'pino';
import { LOGGER, PRISMA } from '../core/tokens';
import type { AuthContext } from '../auth/auth-context';

export interface AuditEntry {
  auth: AuthContext;
  /** The tenant acted in; null for fleet-wide views. */
  tenantId: string | null;
  /** Method and route pattern, e.g. "GET /v1/videos/:id". */
  action: string;
  path: string;
}

/**
 * Records what an operator does across tenants: a pino line (`audit: true`) and an AuditEvent row.
 * The row is written before the request proceeds, so an action that is not recorded does not happen.
 */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async record(e: AuditEntry): Promise<void> {
    this.log.info(
      {
        audit: true,
        operatorKeyId: e.auth.apiKeyId,
        operatorKeyPrefix: e.auth.keyPrefix,
        operatorTenantId: e.auth.homeTenantId,
        tenantId: e.tenantId,
        action: e.action,
        path: e.path,
      },
      'operator action',
    );
    await this.prisma.auditEvent.create({
      data: {
        apiKeyId: e.auth.apiKeyId,
        keyPrefix: e.auth.keyPrefix,
        tenantId: e.tenantId,
        action: e.action,
        path: e.path,
      },
    });
  }
}
