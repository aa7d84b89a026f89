/*
 * The job's entry point: one run, then the process exits with the run's code
 * (0 on success, non-zero on failure), which is what the CronJob's Job
 * counts. SIGTERM and SIGINT stop the run at its next safe point.
 */
import { main } from './main.ts';

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => stop.abort(signal));
}

process.exitCode = await main({ signal: stop.signal });
