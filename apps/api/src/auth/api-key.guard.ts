import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { z } from 'zod';
import { ApiError } from '../common/api-error';
import type { MaskletConfig } from '@masklet/config';
import { CONFIG } from '../core/tokens';
import { AuditLog } from '../security/audit-log';
import { assertSameOrigin } from '../security/origin-check';
import type { EarlyAuthedRequest } from '../security/early-auth';
import { OPERATOR_KEY } from '../security/operator';
import type { Scope } from './api-key-format';
import type { AuthContext, AuthedRequest } from './auth-context';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

/** Operator keys act inside another tenant by naming it in this header (the dashboard's job pages). */
export const TENANT_HEADER = 'x-masklet-tenant';

/** The tenant the request acts in: the key's own, or (operators only) the one the header names. */
function withTenantOverride(auth: AuthContext, header: string | string[] | undefined): AuthContext {
  if (header === undefined) return auth;
  const tenantId = Array.isArray(header) ? header[0] : header;
  if (!tenantId || !z.uuid().safeParse(tenantId).success)
    throw new ApiError(400, 'INVALID_TENANT', `${TENANT_HEADER} must be a tenant id (uuid)`);
  if (tenantId === auth.homeTenantId) return auth;
  if (!auth.operator)
    throw new ApiError(403, 'OPERATOR_ONLY', `only operator keys may act in another tenant through ${TENANT_HEADER}`);
  return { ...auth, tenantId };
}

/**
 * Global guard: every route needs a valid key unless marked @Public(); @Scopes() narrows further
 * (a tenant's admin scope passes every scope check inside its tenant); @Operator() routes need an
 * operator key. Whatever an operator does outside its own tenant is audit-logged before it runs.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(CONFIG) private readonly config: MaskletConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const early = (req as EarlyAuthedRequest).authenticated;
    const auth = early ?? (await this.auth.authenticateRequest(req.headers));
    if (!early) assertSameOrigin(req.method, req.headers, auth, this.config);
    const operatorOnly = this.reflector.getAllAndOverride<boolean>(OPERATOR_KEY, targets) ?? false;
    if (operatorOnly && !auth.operator) {
      throw new ApiError(
        403,
        'OPERATOR_ONLY',
        'this route is for platform operators (keys created with `cli key:create --operator`); tenant admin keys do not pass',
      );
    }
    const needed = this.reflector.getAllAndOverride<Scope[]>(SCOPES_KEY, targets) ?? [];
    if (needed.length > 0 && !auth.scopes.includes('admin') && !needed.some((s) => auth.scopes.includes(s))) {
      throw new ApiError(
        403,
        'INSUFFICIENT_SCOPE',
        `this API key lacks the scope ${needed.join(' or ')} (it has: ${auth.scopes.join(', ')})`,
      );
    }
    req.auth = withTenantOverride(auth, req.headers[TENANT_HEADER]);
    if (operatorOnly || req.auth.tenantId !== auth.homeTenantId) {
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      await this.audit.record({
        auth: req.auth,
        tenantId: operatorOnly && req.auth.tenantId === auth.homeTenantId ? null : req.auth.tenantId,
        action: `${req.method} ${route}`,
        path: req.originalUrl,
      });
    }
    return true;
  }
}
