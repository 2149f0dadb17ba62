import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { z } from 'zod';
import { ApiError } from '../common/api-error';
import type { Scope } from './api-key-format';
import type { AuthContext, AuthedRequest } from './auth-context';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';
import type { EarlyAuthedRequest } from '../security/early-auth';

/** Operators (admin keys) act inside another tenant by naming it in this header (the dashboard's job pages). */
export const TENANT_HEADER = 'x-masklet-tenant';

function withTenantOverride(auth: AuthContext, header: string | string[] | undefined): AuthContext {
  if (header === undefined) return auth;
  if (!auth.scopes.includes('admin')) throw new ApiError(403, 'INSUFFICIENT_SCOPE', `only admin keys may set ${TENANT_HEADER}`);
  const tenantId = Array.isArray(header) ? header[0] : header;
  if (!tenantId || !z.uuid().safeParse(tenantId).success) throw new ApiError(400, 'INVALID_TENANT', `${TENANT_HEADER} must be a tenant id (uuid)`);
  return { ...auth, tenantId };
}

/** Global guard: every route needs a valid key unless marked @Public(); @Scopes() narrows further. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const auth = (req as EarlyAuthedRequest).authenticated ?? (await this.auth.authenticate(req.headers.authorization));
    const needed = this.reflector.getAllAndOverride<Scope[]>(SCOPES_KEY, targets) ?? [];
    if (needed.length > 0 && !auth.scopes.includes('admin') && !needed.some((s) => auth.scopes.includes(s))) {
      throw new ApiError(403, 'INSUFFICIENT_SCOPE', `this API key lacks the scope ${needed.join(' or ')} (it has: ${auth.scopes.join(', ')})`);
    }
    req.auth = withTenantOverride(auth, req.headers[TENANT_HEADER]);
    return true;
  }
}
