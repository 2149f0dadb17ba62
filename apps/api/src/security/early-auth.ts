import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { MaskletConfig } from '@masklet/config';
import { ApiError } from '../common/api-error';
import { sendError } from '../common/error-body';
import type { AuthContext } from '../auth/auth-context';
import type { AuthService } from '../auth/auth.service';
import { assertSameOrigin } from './origin-check';
import { FixedWindowLimiter, type LimitDecision } from './rate-limiter';

/** The API's authenticated surface: every route under it needs a key (health, docs and /ui/ lie outside). */
export const API_PREFIX = '/v1/';

/** A request whose key was verified by `earlyAuth` (before any body byte was read). */
export type EarlyAuthedRequest = Request & { authenticated?: AuthContext };

/**
 * Answers an error without reading the rest of the request: `Connection: close` makes Node drop the
 * socket once the answer is written, so an unauthenticated (or oversized) body is never consumed.
 */
export function refuseAndClose(
  res: Response,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.setHeader('Connection', 'close');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendError(res, status, code, message);
}

function tooMany(res: Response, d: LimitDecision, what: string): void {
  refuseAndClose(res, 429, 'RATE_LIMITED', `${what}; retry in ${d.retryAfterSeconds} s`, {
    'Retry-After': String(d.retryAfterSeconds),
  });
}

/**
 * Express middleware in front of every body parser: /v1 requests are rate-limited per client address,
 * then authenticated from their headers alone (key header or session cookie; so a caller without a valid key cannot make the API
 * buffer or parse a body), then rate-limited per key. An address with too many failed key checks gets
 * 429 before any further scrypt runs. Cookie-authenticated changes must come from the dashboard's own
 * origin (security/origin-check). The Nest guard reuses the verified context (scopes and the tenant
 * override are checked there).
 */
export function earlyAuth(
  auth: AuthService,
  config: MaskletConfig,
  log: Logger,
): (req: Request, res: Response, next: NextFunction) => void {
  const perIp = new FixedWindowLimiter(config.RATE_LIMIT_PER_IP);
  const failures = new FixedWindowLimiter(config.AUTH_FAILURES_PER_IP);
  const perKey = new FixedWindowLimiter(config.RATE_LIMIT_PER_KEY);
  return (req, res, next) => {
    if (!req.path.startsWith(API_PREFIX)) return next();
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const byIp = perIp.hit(ip);
    if (!byIp.ok) return tooMany(res, byIp, `more than ${config.RATE_LIMIT_PER_IP} requests per minute from ${ip}`);
    const failed = failures.peek(ip);
    if (!failed.ok)
      return tooMany(
        res,
        failed,
        `more than ${config.AUTH_FAILURES_PER_IP} failed API key checks per minute from ${ip}`,
      );
    auth.authenticateRequest(req.headers).then(
      (ctx) => {
        const byKey = perKey.hit(ctx.apiKeyId);
        if (!byKey.ok)
          return tooMany(
            res,
            byKey,
            `more than ${config.RATE_LIMIT_PER_KEY} requests per minute with API key ${ctx.keyPrefix}`,
          );
        try {
          assertSameOrigin(req.method, req.headers, ctx, config);
        } catch (err) {
          const e = err as ApiError;
          return refuseAndClose(res, e.status, e.code, e.message);
        }
        (req as EarlyAuthedRequest).authenticated = ctx;
        next();
      },
      (err: unknown) => {
        if (err instanceof ApiError) {
          if (err.status === 401) failures.hit(ip);
          return refuseAndClose(res, err.status, err.code, err.message);
        }
        log.error({ err }, 'authentication failed');
        refuseAndClose(res, 500, 'INTERNAL_ERROR', 'internal error');
      },
    );
  };
}
