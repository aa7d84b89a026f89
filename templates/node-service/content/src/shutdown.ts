import type { App } from './server.ts';
import type { Logger } from './logger.ts';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Stops the service gracefully and resolves with the exit code: /readyz
 * answers 503 for `delayMs` (the pod leaves the Service's endpoints while it
 * still serves), then the server stops accepting and in-flight requests get
 * `timeoutMs` to finish (exit code 1 if they do not), then `flush` runs.
 */
export async function shutdown(options: {
  app: App;
  logger: Logger;
  signal: string;
  delayMs: number;
  timeoutMs: number;
  flush: () => Promise<void>;
}): Promise<number> {
  const { app, logger } = options;
  app.startDraining();
  logger.info('Shutting down: not ready any more', {
    signal: options.signal,
    delayMs: options.delayMs,
  });
  await sleep(options.delayMs);
  logger.info('Closing the server', { timeoutMs: options.timeoutMs });
  const closed = new Promise<number>(resolve =>
    app.server.close(error => {
      if (error) logger.error('Closing the server failed', { error });
      resolve(error ? 1 : 0);
    }),
  );
  app.server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>(resolve => {
    timer = setTimeout(() => {
      logger.warn(
        'Requests still running at the deadline; closing their connections',
      );
      app.server.closeAllConnections();
      resolve(1);
    }, options.timeoutMs);
  });
  const code = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  await options.flush();
  logger.info('Stopped', { exitCode: code });
  return code;
}
