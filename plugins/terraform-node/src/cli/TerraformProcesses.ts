import { ServiceUnavailableError } from '@backstage/errors';
import { ChildProcess } from 'node:child_process';

/**
 * The terraform processes a runner has running, so that none outlives the
 * backend: at shutdown each gets SIGTERM (Terraform stops as on Ctrl-C),
 * then SIGKILL once the grace period is over, and is awaited; after that
 * no new one starts.
 */
export class TerraformProcesses {
  readonly #running = new Map<ChildProcess, Promise<void>>();
  #stopped = false;

  /** Refuses new processes once shutdown has begun. */
  assertOpen(): void {
    if (this.#stopped) {
      throw new ServiceUnavailableError(
        'terraform is not started: the backend is shutting down',
      );
    }
  }

  /** Tracks a process until it has closed. */
  track(child: ChildProcess): void {
    const closed = new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    }).finally(() => this.#running.delete(child));
    this.#running.set(child, closed);
  }

  /** How many are running. */
  get size(): number {
    return this.#running.size;
  }

  /**
   * SIGTERM to every terraform, SIGKILL to those left after the grace
   * period; resolves once all have closed.
   */
  async stopAll(options: { gracePeriodMs: number }): Promise<void> {
    this.#stopped = true;
    const children = [...this.#running.entries()];
    if (children.length === 0) return;
    for (const [child] of children) signalGroup(child, 'SIGTERM');
    const all = Promise.all(children.map(([, closed]) => closed));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace-over'>(resolve => {
      timer = setTimeout(() => resolve('grace-over'), options.gracePeriodMs);
    });
    if ((await Promise.race([all, graceOver])) === 'grace-over') {
      for (const [child] of children) signalGroup(child, 'SIGKILL');
      await all;
    }
    clearTimeout(timer);
  }
}

/**
 * A signal to terraform, through the watchdog it runs under, which passes
 * it on to terraform's process group (SIGKILL as SIGUSR2, so that the
 * watchdog lives on to reap terraform).
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    child.kill(signal === 'SIGKILL' ? 'SIGUSR2' : signal);
  } catch {
    // Gone already.
  }
}
