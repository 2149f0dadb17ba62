import express, { type NextFunction, type Request, type Response } from 'express';
import { sendError } from './error-body';

/** Large enough for a 10,000-job batch. */
export const BATCH_BODY_LIMIT = '64mb';
export const DEFAULT_BODY_LIMIT = '1mb';

/**
 * JSON body parsing outside Nest (its filters do not see express middleware errors): malformed JSON
 * -> 400 MALFORMED_JSON, too big -> 413 BODY_TOO_LARGE. Multipart bodies are left to the upload route.
 */
export function jsonBodyParser(): (req: Request, res: Response, next: NextFunction) => void {
  const big = express.json({ limit: BATCH_BODY_LIMIT });
  const small = express.json({ limit: DEFAULT_BODY_LIMIT });
  return (req, res, next) => {
    const parser = req.path === '/v1/batches' ? big : small;
    parser(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { type?: string; status?: number; message?: string; limit?: number };
      if (e.type === 'entity.parse.failed') return sendError(res, 400, 'MALFORMED_JSON', `the request body is not valid JSON: ${e.message}`);
      if (e.type === 'entity.too.large') return sendError(res, 413, 'BODY_TOO_LARGE', `the request body exceeds ${e.limit} bytes`);
      if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported encoding');
      return sendError(res, e.status && e.status < 500 ? e.status : 400, 'BAD_REQUEST_BODY', e.message ?? 'unreadable request body');
    });
  };
}
