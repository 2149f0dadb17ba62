import type { NextFunction, Request, Response } from 'express';
import type { MaskletConfig } from '@masklet/config';
import { ApiError } from '../common/api-error';
import type { AuthService } from '../auth/auth.service';
import { refuseAndClose, type EarlyAuthedRequest } from './early-auth';

/** Server-sent event streams: held open for as long as the client likes. */
const SSE_ROUTES = [/^\/v1\/jobs\/[^/]+\/events$/, /^\/v1\/admin\/fleet\/events$/];
/** Previews hold a worker's engine for their duration (the API waits for its answer). */
const PREVIEW_ROUTES = [/^\/v1\/(jobs|videos)\/[^/]+\/preview$/];

/** Concurrent holders per tenant, released when the response closes (finished or cut). */
class TenantSlots {
  private readonly held = new Map<string, number>();

  constructor(readonly cap: number) {}

  take(tenantId: string, res: Response): boolean {
    const n = this.held.get(tenantId) ?? 0;
    if (n >= this.cap) return false;
    this.held.set(tenantId, n + 1);
    res.once('close', () => {
      const left = (this.held.get(tenantId) ?? 1) - 1;
      if (left <= 0) this.held.delete(tenantId);
      else this.held.set(tenantId, left);
    });
    return true;
  }
}

/**
 * Ends an event stream once its key stops authenticating (revoked, deleted, the session logged out): it is re-checked
 * every KEY_RECHECK_MS, so revocation reaches open streams within that time, not only new requests.
 */
function recheckWhileOpen(auth: AuthService, req: Request, res: Response, everyMs: number): void {
  const headers = { authorization: req.headers.authorization, cookie: req.headers.cookie };
  const timer = setInterval(() => {
    auth.authenticateRequest(headers).catch((err: unknown) => {
      if (!(err instanceof ApiError) || res.writableEnded) return; // a database hiccup is not a revocation
      clearInterval(timer);
      if (res.headersSent) {
        res.write(`event: error\ndata: ${JSON.stringify({ code: err.code, message: err.message })}\n\n`);
        res.end();
      } else refuseAndClose(res, err.status, err.code, err.message);
    });
  }, everyMs);
  res.once('close', () => clearInterval(timer));
}

/**
 * Per-tenant caps on concurrent event streams and previews (per API process; 429 with Retry-After
 * over the cap), and key re-checks on open streams. Runs after `earlyAuth`.
 */
export function streamSlots(
  auth: AuthService,
  config: MaskletConfig,
): (req: Request, res: Response, next: NextFunction) => void {
  const streams = new TenantSlots(config.MAX_SSE_STREAMS_PER_TENANT);
  const previews = new TenantSlots(config.MAX_PREVIEWS_PER_TENANT);
  return (req, res, next) => {
    const ctx = (req as EarlyAuthedRequest).authenticated;
    if (!ctx) return next();
    if (req.method === 'GET' && SSE_ROUTES.some((r) => r.test(req.path))) {
      if (!streams.take(ctx.tenantId, res)) {
        return refuseAndClose(
          res,
          429,
          'TOO_MANY_STREAMS',
          `this tenant already has ${streams.cap} open event streams (MAX_SSE_STREAMS_PER_TENANT); close one first`,
          { 'Retry-After': '5' },
        );
      }
      recheckWhileOpen(auth, req, res, config.KEY_RECHECK_MS);
    } else if (req.method === 'POST' && PREVIEW_ROUTES.some((r) => r.test(req.path))) {
      if (!previews.take(ctx.tenantId, res)) {
        return refuseAndClose(
          res,
          429,
          'TOO_MANY_PREVIEWS',
          `this tenant already has ${previews.cap} previews running (MAX_PREVIEWS_PER_TENANT)`,
          { 'Retry-After': '1' },
        );
      }
    }
    next();
  };
}
