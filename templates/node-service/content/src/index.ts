/*
 * The service's entry point: reads the configuration, starts tracing (when
 * configured), serves HTTP and shuts down gracefully on SIGTERM and SIGINT.
 */
import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createApp } from './server.ts';
import { shutdown } from './shutdown.ts';
import { startTracing } from './tracing.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    const line = {
      time: new Date().toISOString(),
      level: 'error',
      msg: 'Invalid configuration',
      error: (error as Error).message,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return process.exit(1);
  }
}

const config = configOrExit();

const logger = createLogger({
  level: config.logLevel,
  base: { service: config.serviceName },
});
process.on('uncaughtException', error => {
  logger.error('Uncaught exception', { error });
  process.exit(1);
});
process.on('unhandledRejection', error => {
  logger.error('Unhandled rejection', { error });
  process.exit(1);
});

const tracing = await startTracing(config, logger);
const app = createApp({
  serviceName: config.serviceName,
  logger,
  metrics: createMetrics({ serviceName: config.serviceName }),
  tracer: tracing.tracer,
  openapi: readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'),
});

app.server.listen(config.port, () => {
  logger.info('Listening', {
    port: config.port,
    logLevel: config.logLevel,
    tracing: tracing.enabled,
  });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (app.draining) {
      logger.warn('Second signal while shutting down: exiting now', { signal });
      process.exit(1);
    }
    void shutdown({
      app,
      logger,
      signal,
      delayMs: config.shutdownDelayMs,
      timeoutMs: config.shutdownTimeoutMs,
      flush: tracing.shutdown,
    }).then(code => process.exit(code));
  });
}
