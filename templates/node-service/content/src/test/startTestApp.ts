import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { trace, type Tracer } from '@opentelemetry/api';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { createApp, type App } from '../server.ts';

/** The app on a free port, with its log lines, for the tests. */
export async function startTestApp(options: { tracer?: Tracer } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', write: l => lines.push(l) });
  const app: App = createApp({
    serviceName: 'orders',
    logger,
    metrics: createMetrics({ serviceName: 'orders' }),
    tracer: options.tracer ?? trace.getTracer('test'),
    openapi: readFileSync(
      new URL('../../openapi.yaml', import.meta.url),
      'utf8',
    ),
  });
  await new Promise<void>(resolve =>
    app.server.listen(0, '127.0.0.1', resolve),
  );
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    logger,
    url: `http://127.0.0.1:${port}`,
    logs: () => lines.map(l => JSON.parse(l)),
    close: () =>
      new Promise<void>(resolve => app.server.close(() => resolve())),
  };
}
