import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Telemetry {
  /** False when no OTLP endpoint is configured: no SDK runs and every span is the API's no-op. */
  readonly enabled: boolean;
  /** Sends the spans still buffered. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting. */
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { enabled: false, flush: async () => undefined, shutdown: async () => undefined };

/**
 * Starts tracing for this process when `endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL,
 * spans go to <endpoint>/v1/traces as OTLP/HTTP JSON) is set; otherwise starts nothing. Registers the
 * global tracer provider, the W3C trace-context propagator and an AsyncLocalStorage context manager,
 * so spans nest across awaits.
 */
export function startTelemetry(
  serviceName: string,
  endpoint: string | undefined = process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
): Telemetry {
  if (!endpoint) return OFF;
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  return {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
    },
  };
}
