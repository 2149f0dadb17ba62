import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@masklet/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type Response } from 'express';

export const DASHBOARD_PATH = '/ui';
/** Where `npm run dashboard:build` writes the production bundle. */
export const DASHBOARD_DIST = join(projectRoot(), 'apps', 'dashboard', 'dist');

/**
 * The dashboard's Content-Security-Policy: scripts and styles only from its own bundle (no inline
 * script), frames fetched as blob: URLs, API calls same-origin, never framed by another site.
 * React's style props go through the CSSOM, which style-src does not govern.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built dashboard at /ui/ (and / redirects there); false when it is not built. */
export function serveDashboard(app: NestExpressApplication, dist = DASHBOARD_DIST): boolean {
  if (!existsSync(join(dist, 'index.html'))) return false;
  app.use(DASHBOARD_PATH, (_req: Request, res: Response, next: () => void) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(
    DASHBOARD_PATH,
    express.static(dist, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  app.use((req: Request, res: Response, next: () => void) => {
    if (req.method === 'GET' && req.path === '/') res.redirect(302, `${DASHBOARD_PATH}/`);
    else next();
  });
  return true;
}
