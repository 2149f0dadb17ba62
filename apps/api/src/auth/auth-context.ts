import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Scope } from './api-key-format';

/** Who is calling: every query is scoped to `tenantId`. */
export interface AuthContext {
  tenantId: string;
  apiKeyId: string;
  keyPrefix: string;
  scopes: Scope[];
  /** A platform operator's key (may name another tenant in x-masklet-tenant and see the fleet). */
  operator: boolean;
  /** The key's own tenant (differs from tenantId when an operator acts inside another tenant). */
  homeTenantId: string;
  /** Set when the request was authenticated by the dashboard's session cookie (not a key header). */
  session?: { id: string; expiresAt: string };
}

export type AuthedRequest = Request & { auth?: AuthContext };

/** The caller of an authenticated route (set by ApiKeyGuard). */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.auth) throw new Error('Auth() used on a route without ApiKeyGuard');
  return req.auth;
});
