import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** What one run did. */
export interface JobResult {
  processed: number;
  /** True when a stop signal ended the run before all the work was done. */
  interrupted: boolean;
}

/** One unit of work; replace with the job's own (read a queue, a table, an API...). */
export type ProcessItem = (
  index: number,
  options: { dryRun: boolean },
) => Promise<void>;

/**
 * The placeholder work: nothing but a turn of the event loop, as real work
 * waiting on I/O takes, so that a SIGTERM between items is seen.
 */
export const processItem: ProcessItem = () =>
  new Promise(resolve => setImmediate(resolve));

/**
 * The job's work: `batchSize` items, one at a time. It checks `signal`
 * between items, so a SIGTERM (the pod deleted, activeDeadlineSeconds
 * reached) stops it at a safe point instead of in the middle of a write.
 * An item that fails fails the run: the error propagates.
 */
export async function runJob(options: {
  config: Config;
  logger: Logger;
  signal: AbortSignal;
  process?: ProcessItem;
}): Promise<JobResult> {
  const { config, logger, signal } = options;
  const work = options.process ?? processItem;
  let processed = 0;
  for (let index = 0; index < config.batchSize; index++) {
    if (signal.aborted) {
      logger.warn('Stopping early', {
        processed,
        remaining: config.batchSize - processed,
      });
      return { processed, interrupted: true };
    }
    await work(index, { dryRun: config.dryRun });
    processed += 1;
  }
  return { processed, interrupted: false };
}
