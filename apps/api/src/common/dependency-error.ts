/**
 * Which platform dependency an error says is unreachable, if any. The API answers these with 503 and
 * Retry-After (never 500, never the raw driver message): the request was fine, the platform was not.
 */
export type Dependency = 'postgres' | 'redis' | 's3' | 'network';

/** Seconds a client should wait before retrying a request that met an unavailable dependency. */
export const DEPENDENCY_RETRY_AFTER_S = 5;

const ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);
// The second line: a Sentinel-managed Redis mid-failover (no primary yet, a demoted one, too few replicas to write).
const REDIS_MESSAGE =
  /^(Command timed out|Connection is closed\.?|Stream isn't writeable.*|Reached the max retries per request limit.*)$/;
const REDIS_FAILOVER = /^(READONLY|NOREPLICAS|MASTERDOWN|LOADING) |^All sentinels are unreachable/;
const PG_ADAPTER_KIND =
  /NotReachable|ConnectionClosed|SocketTimeout|TooManyConnections|TlsConnectionError|ConnectionError/;
const PG_MESSAGE =
  /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|canceling statement due to statement timeout|Query read timeout|terminating connection/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

export function unavailableDependency(err: unknown, depth = 0): Dependency | null {
  if (typeof err !== 'object' || err === null || depth > 3) return null;
  const e = err as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const code = typeof e.code === 'string' ? e.code : '';
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGE.test(message) || REDIS_FAILOVER.test(message))
    return 'redis';
  if (name.startsWith('PrismaClient') || name === 'DriverAdapterError') {
    const cause = e.meta?.driverAdapterError?.cause;
    if (name === 'PrismaClientInitializationError' || /^P1\d{3}$/.test(code)) return 'postgres';
    if (typeof cause?.kind === 'string' && PG_ADAPTER_KIND.test(cause.kind)) return 'postgres';
    if (typeof cause?.originalCode === 'string' && /^(08|57)/.test(cause.originalCode)) return 'postgres';
    if (PG_MESSAGE.test(message)) return 'postgres';
  }
  if (e.$metadata !== undefined) {
    const status = e.$metadata.httpStatusCode;
    if (status === undefined || status >= 500 || ERRNO.has(code) || name === 'TimeoutError') return 's3';
  }
  if (PG_MESSAGE.test(message)) return 'postgres';
  if (ERRNO.has(code)) return 'network';
  return unavailableDependency(e.cause, depth + 1);
}
