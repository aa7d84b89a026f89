import { loadConfig } from './config.ts';
import { runJob, type ProcessItem } from './job.ts';
import { createLogger } from './logger.ts';

/** Exit codes: 0 done, 1 failed, 2 misconfigured, 143 stopped by SIGTERM (128 + 15). */
export const EXIT = { ok: 0, failed: 1, config: 2, terminated: 143 } as const;

/**
 * Runs the job once and resolves with its exit code; never throws. `signal`
 * is aborted by SIGTERM or SIGINT (index.ts). Every line it writes is a
 * JSON object (logger.ts), so the cluster's log tooling can filter a run.
 */
export async function main(options: {
  env?: Record<string, string | undefined>;
  signal: AbortSignal;
  write?: (line: string) => void;
  process?: ProcessItem;
}): Promise<number> {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  let config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    createLogger({ level: 'info', write }).error('Invalid configuration', {
      error: (error as Error).message,
    });
    return EXIT.config;
  }
  const logger = createLogger({
    level: config.logLevel,
    base: { job: config.jobName },
    write,
  });
  const started = Date.now();
  logger.info('Run started', {
    batchSize: config.batchSize,
    dryRun: config.dryRun,
  });
  try {
    const result = await runJob({
      config,
      logger,
      signal: options.signal,
      process: options.process,
    });
    const durationMs = Date.now() - started;
    if (result.interrupted) {
      logger.warn('Run stopped by a signal', {
        processed: result.processed,
        durationMs,
      });
      return EXIT.terminated;
    }
    logger.info('Run succeeded', { processed: result.processed, durationMs });
    return EXIT.ok;
  } catch (error) {
    logger.error('Run failed', { error, durationMs: Date.now() - started });
    return EXIT.failed;
  }
}
