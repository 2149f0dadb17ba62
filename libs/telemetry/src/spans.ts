import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';

export { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer };

/** W3C trace context as it travels in a queue job's data (`traceparent`, and `tracestate` when set). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's context to put into a queue job's data; empty while tracing is off or no span is active. */
export function traceCarrier(): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The context a job's data carries (the root context when it carries none). */
export function contextFrom(carrier: unknown): Context {
  const c = (carrier ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const k of ['traceparent', 'tracestate']) if (typeof c[k] === 'string') fields[k] = c[k];
  return propagation.extract(ROOT_CONTEXT, fields);
}

/** Marks the span failed with the error, without ending it. */
export function recordFailure(span: Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** Runs `fn` inside an active span that ends when it settles (failed if it throws). */
export function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}
