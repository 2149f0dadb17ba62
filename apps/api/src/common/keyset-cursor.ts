import { badRequest } from './api-error';

/** Opaque cursor of a newest-first keyset page: the last row's (createdAt, id). */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

export function decodeCursor(c: string): { createdAt: Date; id: string } {
  try {
    const [t, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(t);
    if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string') throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw badRequest('INVALID_CURSOR', 'cursor is not one returned by this API');
  }
}
