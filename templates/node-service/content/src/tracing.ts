import { trace, type Tracer } from '@opentelemetry/api';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** Tracing: a real SDK when an OTLP endpoint is configured, the API's no-op tracer otherwise. */
export interface Tracing {
  enabled: boolean;
  tracer: Tracer;
  /** Sends the spans not yet exported, then stops. */
  shutdown(): Promise<void>;
}

/** The endpoint as it may be logged: no user info, no query. */
export function safeEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set. The SDK is imported
 * only then, so a service without a collector never loads it.
 */
export async function startTracing(
  config: Pick<Config, 'serviceName' | 'otlpEndpoint'>,
  logger: Logger,
): Promise<Tracing> {
  if (!config.otlpEndpoint) {
    logger.debug('Tracing is off: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
    return {
      enabled: false,
      tracer: trace.getTracer(config.serviceName),
      shutdown: async () => {},
    };
  }
  const [api, sdk, exporter, resources, hooks, core] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  api.context.setGlobalContextManager(
    new hooks.AsyncLocalStorageContextManager().enable(),
  );
  api.propagation.setGlobalPropagator(new core.W3CTraceContextPropagator());
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({
      'service.name': config.serviceName,
    }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: new exporter.OTLPTraceExporter({
          url: `${config.otlpEndpoint}/v1/traces`,
        }),
      }),
    ],
  });
  api.trace.setGlobalTracerProvider(provider);
  logger.info('Tracing is on', { endpoint: safeEndpoint(config.otlpEndpoint) });
  return {
    enabled: true,
    tracer: api.trace.getTracer(config.serviceName),
    shutdown: async () => {
      await provider
        .shutdown()
        .catch((error: unknown) =>
          logger.warn('Could not send the last spans', { error }),
        );
    },
  };
}
