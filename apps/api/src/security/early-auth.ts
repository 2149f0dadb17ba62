import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../common/api-error';
import { sendError } from '../common/error-body';
import type { AuthContext } from '../auth/auth-context';
import type { AuthService } from '../auth/auth.service';

/** The API's authenticated surface: every route under it needs a key (health, metrics, docs and /ui/ lie outside). */
export const API_PREFIX = '/v1/';

/** A request whose key was verified by `earlyAuth` (before any body byte was read). */
export type EarlyAuthedRequest = Request & { authenticated?: AuthContext };

/**
 * Answers an error without reading the rest of the request: `Connection: close` makes Node drop the
 * socket once the answer is written, so an unauthenticated (or oversized) body is never consumed.
 */
export function refuseAndClose(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.setHeader('Connection', 'close');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendError(res, status, code, message);
}

/**
 * Express middleware in front of every body parser: /v1 requests are authenticated from their headers
 * alone, so a caller without a valid key cannot make the API buffer or parse a body. The Nest guard
 * then reuses the verified context (scopes and the tenant override are still checked there).
 */
export function earlyAuth(auth: AuthService, log: Logger): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (!req.path.startsWith(API_PREFIX)) return next();
    auth.authenticate(req.headers.authorization).then(
      (ctx) => {
        (req as EarlyAuthedRequest).authenticated = ctx;
        next();
      },
      (err: unknown) => {
        if (err instanceof ApiError) return refuseAndClose(res, err.status, err.code, err.message, retryAfterOf(err));
        log.error({ err }, 'authentication failed');
        refuseAndClose(res, 500, 'INTERNAL_ERROR', 'internal error');
      },
    );
  };
}

function retryAfterOf(err: ApiError): Record<string, string> {
  const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return seconds ? { 'Retry-After': String(seconds) } : {};
}
