import type { NextFunction, Request, Response } from 'express';
import { context, contextFrom, SpanKind, SpanStatusCode, trace } from '@masklet/telemetry';

/**
 * One SERVER span per request, continuing a caller's W3C traceparent header; the handler runs inside it,
 * so a job it queues carries the request's trace (see traceCarrier). A no-op while tracing is off.
 */
export function requestSpan() {
  const tracer = trace.getTracer('masklet-api');
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = contextFrom(req.headers);
    const span = tracer.startSpan(
      `${req.method} request`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      span.end();
    };
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      end();
    });
    // A client that hangs up before the response ends it too.
    res.on('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}
