import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './api-error';
import { DEPENDENCY_RETRY_AFTER_S, unavailableDependency } from './dependency-error';
import { errorBody } from './error-body';

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place errors become HTTP answers: `{ error: { code, message } }` with the right status; an
 * unreachable Postgres/Redis/S3 is 503 DEPENDENCY_UNAVAILABLE with Retry-After.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body = errorBody('INTERNAL_ERROR', 'internal error');
    let dependency: ReturnType<typeof unavailableDependency> = null;
    if (exception instanceof ApiError) {
      status = exception.status;
      body = errorBody(exception.code, exception.message, exception.details);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      const m = typeof r === 'string' ? r : (r as { message?: unknown }).message;
      const message = typeof m === 'string' ? m : Array.isArray(m) ? m.join('; ') : exception.message;
      body = errorBody(HTTP_CODES[status] ?? `HTTP_${status}`, message);
    } else if ((dependency = unavailableDependency(exception))) {
      status = 503;
      body = errorBody('DEPENDENCY_UNAVAILABLE', `${dependency} is unavailable; retry later`, { dependency });
      this.log.warn({ err: exception, dependency }, 'dependency unavailable');
    } else {
      this.log.error({ err: exception }, 'unhandled error');
    }
    if (status >= 500 && exception instanceof ApiError) this.log.error({ err: exception }, 'server error');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (dependency || status === 503) res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_S));
    res.status(status).json(body);
  }
}
