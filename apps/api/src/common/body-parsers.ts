import express, { type NextFunction, type Request, type Response } from 'express';
import { refuseAndClose, type EarlyAuthedRequest } from '../security/early-auth';
import { sendError } from './error-body';

/** Large enough for a 10,000-job batch; only POST /v1/batches gets it. */
export const BATCH_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The JSON limit of a route: uploads are multipart and streamed by their route, never parsed here. */
export function jsonLimitFor(req: Request): number {
  return req.method === 'POST' && req.path === '/v1/batches' ? BATCH_BODY_LIMIT : DEFAULT_BODY_LIMIT;
}

function tooLarge(res: Response, req: Request, limit: number): void {
  refuseAndClose(
    res,
    413,
    'BODY_TOO_LARGE',
    `the request body exceeds the limit of ${limit} bytes for ${req.method} ${req.path}`,
  );
}

/**
 * JSON body parsing outside Nest (its filters do not see express middleware errors): malformed JSON
 * -> 400 MALFORMED_JSON, too big -> 413 BODY_TOO_LARGE. Only requests `earlyAuth` verified are parsed,
 * and a declared Content-Length over the route's limit is refused before a byte is read (body-parser
 * itself would read the whole body to discard it before answering). Multipart bodies are left to the
 * upload route.
 */
export function jsonBodyParser(): (req: Request, res: Response, next: NextFunction) => void {
  const big = express.json({ limit: BATCH_BODY_LIMIT });
  const small = express.json({ limit: DEFAULT_BODY_LIMIT });
  return (req, res, next) => {
    if (!(req as EarlyAuthedRequest).authenticated) return next();
    const limit = jsonLimitFor(req);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit && req.is('application/json')) return tooLarge(res, req, limit);
    const parser = limit === BATCH_BODY_LIMIT ? big : small;
    parser(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { type?: string; status?: number; message?: string; limit?: number };
      if (e.type === 'entity.parse.failed')
        return sendError(res, 400, 'MALFORMED_JSON', `the request body is not valid JSON: ${e.message}`);
      if (e.type === 'entity.too.large') return tooLarge(res, req, limit);
      if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
        return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported encoding');
      return sendError(
        res,
        e.status && e.status < 500 ? e.status : 400,
        'BAD_REQUEST_BODY',
        e.message ?? 'unreadable request body',
      );
    });
  };
}
