import { Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import type { SessionView } from '@masklet/contract';
import type { MaskletConfig } from '@masklet/config';
import { ApiError } from '../common/api-error';
import { CONFIG } from '../core/tokens';
import { Auth, type AuthContext } from './auth-context';
import { SESSION_COOKIE, SessionStore } from './session-store';

function view(auth: AuthContext, expiresAt: string | null): SessionView {
  return {
    keyPrefix: auth.keyPrefix,
    tenantId: auth.homeTenantId,
    scopes: auth.scopes,
    operator: auth.operator,
    expiresAt,
  };
}

/**
 * The dashboard's login: an API key sent once in the Authorization header buys an opaque session id
 * in an HttpOnly, SameSite=Strict cookie (Secure unless SESSION_COOKIE_SECURE=false); the key itself
 * never reaches a cookie or the browser's storage.
 */
@ApiTags('session')
@ApiBearerAuth()
@Controller('v1/session')
export class SessionController {
  constructor(
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Inject(CONFIG) private readonly config: MaskletConfig,
  ) {}

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, secure: this.config.SESSION_COOKIE_SECURE, sameSite: 'strict', path: '/' };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Log in: exchanges the API key of the Authorization header for a session cookie' })
  async create(
    @Auth() auth: AuthContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    if (!req.headers.authorization)
      throw new ApiError(401, 'MISSING_API_KEY', 'log in with the API key in an Authorization: Bearer header');
    const { id, session } = await this.sessions.create(auth.apiKeyId);
    res.cookie(SESSION_COOKIE, id, { ...this.cookieOptions(), maxAge: this.sessions.ttlSeconds * 1000 });
    return view(auth, session.expiresAt);
  }

  @Get()
  @ApiOperation({ summary: 'Who is logged in (the key prefix, tenant, scopes), and until when' })
  current(@Auth() auth: AuthContext): SessionView {
    return view(auth, auth.session?.expiresAt ?? null);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: the session ends on the server and its cookie is cleared' })
  async destroy(@Auth() auth: AuthContext, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (auth.session) await this.sessions.destroy(auth.session.id);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions());
  }
}
