import type { IncomingHttpHeaders } from 'node:http';
import type { MaskletConfig } from '@masklet/config';
import { ApiError } from '../common/api-error';
import type { AuthContext } from '../auth/auth-context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(headers: IncomingHttpHeaders): string | null {
  const origin = headers.origin ?? headers.referer;
  if (!origin || origin === 'null') return null;
  try {
    return new URL(origin).origin;
  } catch {
    return null;
  }
}

/**
 * Cross-site request forgery guard for cookie-authenticated changes: a browser attaches the session
 * cookie to any request, so a state-changing one must come from the API's own host (the dashboard it
 * serves) or a DASHBOARD_ORIGINS entry, as its Origin (or Referer) says. Key-header callers are
 * exempt: a browser never adds that header on its own.
 */
export function assertSameOrigin(
  method: string,
  headers: IncomingHttpHeaders,
  auth: AuthContext,
  config: MaskletConfig,
): void {
  if (!auth.session || SAFE_METHODS.has(method.toUpperCase())) return;
  const origin = originOf(headers);
  if (!origin)
    throw new ApiError(
      403,
      'ORIGIN_REQUIRED',
      `${method} with the session cookie needs an Origin header (browsers send one)`,
    );
  const allowed = config.DASHBOARD_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (new URL(origin).host === headers.host || allowed.includes(origin)) return;
  throw new ApiError(
    403,
    'ORIGIN_MISMATCH',
    `${method} with the session cookie from origin ${origin} is refused: only the dashboard's own origin may make changes`,
  );
}
