import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiError } from '../common/api-error';
import type { Scope } from './api-key-format';
import type { AuthedRequest } from './auth-context';
import { AuthService } from './auth.service';
import { PUBLIC_KEY, SCOPES_KEY } from './scopes.decorator';

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
    const auth = await this.auth.authenticate(req.headers.authorization);
    const needed = this.reflector.getAllAndOverride<Scope[]>(SCOPES_KEY, targets) ?? [];
    if (needed.length > 0 && !auth.scopes.includes('admin') && !needed.some((s) => auth.scopes.includes(s))) {
      throw new ApiError(403, 'INSUFFICIENT_SCOPE', `this API key lacks the scope ${needed.join(' or ')} (it has: ${auth.scopes.join(', ')})`);
    }
    req.auth = auth;
    return true;
  }
}
