import type { Response } from 'express';
import type { ErrorBody } from '@masklet/contract';

export type { ErrorBody };

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Writes an error answer directly (express middleware outside Nest's filters: body parsers). */
export function sendError(res: Response, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify(errorBody(code, message)));
}
