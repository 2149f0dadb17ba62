import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './api-error';
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

/** The one place errors become HTTP answers: `{ error: { code, message } }` with the right status. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body = errorBody('INTERNAL_ERROR', 'internal error');
    if (exception instanceof ApiError) {
      status = exception.status;
      body = errorBody(exception.code, exception.message, exception.details);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      const message = typeof r === 'string' ? r : String((r as { message?: unknown }).message ?? exception.message);
      body = errorBody(HTTP_CODES[status] ?? `HTTP_${status}`, message);
    } else {
      this.log.error({ err: exception }, 'unhandled error');
    }
    if (status >= 500 && exception instanceof ApiError) this.log.error({ err: exception }, 'server error');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json(body);
  }
}
