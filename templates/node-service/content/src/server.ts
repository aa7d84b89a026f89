import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import {
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  type Tracer,
} from '@opentelemetry/api';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** What a route handler returns. */
interface Reply {
  status: number;
  body: string;
  contentType: string;
}

type Handler = () => Reply | Promise<Reply>;

const json = (status: number, body: unknown): Reply => ({
  status,
  body: JSON.stringify(body),
  contentType: 'application/json',
});

/** The HTTP server and the readiness it reports. */
export interface App {
  server: Server;
  /** True once shutdown began: /readyz answers 503 from then on. */
  readonly draining: boolean;
  startDraining(): void;
}

// Probes and scrapes are logged at debug: they come every few seconds.
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function createApp(deps: {
  serviceName: string;
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
  /** The OpenAPI document, served as it is at /openapi.yaml. */
  openapi: string;
}): App {
  const { logger, metrics, tracer } = deps;
  let draining = false;

  const routes: Record<string, Record<string, Handler>> = {
    '/': {
      GET: () =>
        json(200, { service: deps.serviceName, message: 'Hello from Paved!' }),
    },
    // Liveness: the process is up and serving.
    '/healthz': { GET: () => json(200, { status: 'ok' }) },
    // Readiness: 503 once shutting down, so the pod leaves the Service's endpoints first.
    '/readyz': {
      GET: () =>
        draining
          ? json(503, { status: 'draining' })
          : json(200, { status: 'ready' }),
    },
    '/metrics': {
      GET: async () => ({
        status: 200,
        body: await metrics.registry.metrics(),
        contentType: metrics.registry.contentType,
      }),
    },
    '/openapi.yaml': {
      GET: () => ({
        status: 200,
        body: deps.openapi,
        contentType: 'application/yaml',
      }),
    },
  };

  function resolve(req: IncomingMessage): { route: string; handler: Handler } {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const methods = routes[path];
    if (!methods) {
      return {
        route: 'unmatched',
        handler: () =>
          json(404, { code: 'not_found', message: `No route for ${path}` }),
      };
    }
    const handler = methods[req.method ?? 'GET'];
    if (!handler) {
      const allowed = Object.keys(methods).join(', ');
      return {
        route: path,
        handler: () =>
          json(405, {
            code: 'method_not_allowed',
            message: `${path} allows ${allowed}`,
          }),
      };
    }
    return { route: path, handler };
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const { route, handler } = resolve(req);
    const parent = propagation.extract(context.active(), req.headers);
    await tracer.startActiveSpan(
      `${method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': method, 'http.route': route },
      },
      parent,
      async span => {
        const traceId = span.isRecording()
          ? span.spanContext().traceId
          : undefined;
        let reply: Reply;
        try {
          reply = await handler();
        } catch (error) {
          logger.error('Request failed', { method, route, error });
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          reply = json(500, { code: 'internal', message: 'Internal error' });
        }
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end(reply.body);
        span.setAttribute('http.response.status_code', reply.status);
        span.end();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.observe({ method, route, status: reply.status, seconds });
        const fields = {
          method,
          route,
          status: reply.status,
          durationMs: Math.round(seconds * 1e4) / 10,
          traceId,
        };
        if (QUIET_ROUTES.has(route)) logger.debug('Request', fields);
        else logger.info('Request', fields);
      },
    );
  }

  const server = createServer((req, res) => void handle(req, res));
  return {
    server,
    get draining() {
      return draining;
    },
    startDraining: () => {
      draining = true;
    },
  };
}
