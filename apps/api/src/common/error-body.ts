import type { Response } from 'express';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Writes an error answer directly (express middleware outside Nest's filters: body parsers). */
export function sendError(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).type('application/json').send(JSON.stringify(errorBody(code, message)));
}
