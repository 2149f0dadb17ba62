import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import { AuthService } from '../auth/auth.service';
import type { QueueRegistry } from '../core/queues';
import { QUEUES_TOKEN } from '../core/tokens';

export const BULL_BOARD_PATH = '/admin/queues';
/** Set by POST /v1/admin/session: a browser navigating to bull-board cannot send a Bearer header. */
export const SESSION_COOKIE = 'masklet_admin_key';

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** bull-board at /admin/queues for admin keys (Bearer header or the session cookie). */
export function mountBullBoard(app: INestApplication): void {
  const queues = app.get<QueueRegistry>(QUEUES_TOKEN);
  const auth = app.get(AuthService);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map(([, q]) => new BullMQAdapter(q)), serverAdapter: adapter });
  const guard = (req: Request, res: Response, next: NextFunction): void => {
    const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const header = req.headers.authorization ?? (cookie ? `Bearer ${cookie}` : undefined);
    auth
      .authenticate(header)
      .then((ctx) => {
        if (!ctx.scopes.includes('admin')) throw new ApiError(403, 'INSUFFICIENT_SCOPE', 'bull-board needs an API key with the admin scope');
        next();
      })
      .catch((err: unknown) => {
        const e = err instanceof ApiError ? err : new ApiError(401, 'INVALID_API_KEY', 'unknown API key');
        res.status(e.status).json({ error: { code: e.code, message: `${e.message} (log in on the dashboard first)` } });
      });
  };
  app.use(BULL_BOARD_PATH, guard, adapter.getRouter());
}
