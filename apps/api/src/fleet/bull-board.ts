import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { MaskletConfig } from '@masklet/config';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import { AuthService } from '../auth/auth.service';
import { AuditLog } from '../security/audit-log';
import type { QueueRegistry } from '../core/queues';
import { CONFIG, QUEUES_TOKEN } from '../core/tokens';
import { assertSameOrigin } from '../security/origin-check';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * bull-board at /admin/queues for operators: a Bearer key, or the dashboard's session cookie (a browser
 * navigating here cannot send a header). Its changes (retry, clean, promote) pass the Origin check.
 */
export function mountBullBoard(app: INestApplication): void {
  const queues = app.get<QueueRegistry>(QUEUES_TOKEN);
  const auth = app.get(AuthService);
  const audit = app.get(AuditLog);
  const config = app.get<MaskletConfig>(CONFIG);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: queues.all().map(([, q]) => new BullMQAdapter(q)), serverAdapter: adapter });
  const guard = (req: Request, res: Response, next: NextFunction): void => {
    auth
      .authenticateRequest(req.headers)
      .then((ctx) => {
        assertSameOrigin(req.method, req.headers, ctx, config);
        if (!ctx.operator)
          throw new ApiError(403, 'OPERATOR_ONLY', "bull-board shows every tenant's jobs: it needs an operator key");
        // Reads are fleet-wide views like /v1/admin/fleet; every change (retry, clean, promote) is recorded.
        if (req.method === 'GET') return next();
        return audit
          .record({ auth: ctx, tenantId: null, action: `${req.method} ${BULL_BOARD_PATH}`, path: req.originalUrl })
          .then(() => next());
      })
      .catch((err: unknown) => {
        if (!(err instanceof ApiError)) {
          res
            .status(503)
            .setHeader('Retry-After', '5')
            .json({
              error: { code: 'SERVICE_UNAVAILABLE', message: 'bull-board is unavailable for a moment; retry shortly' },
            });
          return;
        }
        res
          .status(err.status)
          .json({ error: { code: err.code, message: `${err.message} (log in on the dashboard first)` } });
      });
  };
  app.use(BULL_BOARD_PATH, guard, adapter.getRouter());
}
