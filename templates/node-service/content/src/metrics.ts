import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, served at /metrics. */
export interface Metrics {
  registry: Registry;
  /** Records one HTTP request; `route` is the matched route, never the raw path. */
  observe(request: {
    method: string;
    route: string;
    status: number;
    seconds: number;
  }): void;
}

/** A registry with Node's default process metrics and the request duration histogram. */
export function createMetrics(options: { serviceName: string }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.serviceName });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds, by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe: ({ method, route, status, seconds }) =>
      duration.observe({ method, route, status_code: String(status) }, seconds),
  };
}
