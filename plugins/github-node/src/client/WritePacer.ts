/**
 * Spaces the requests that create content on GitHub, which its secondary
 * rate limit counts. One collaborator of the client, so that pacing per
 * replica can give way to a budget the replicas share.
 */
export interface WritePacer {
  /** Runs `fn` once the next write may go. */
  schedule<T>(fn: () => Promise<T>): Promise<T>;
}

/** Paces the writes of this process: one every `intervalMs`. */
export class IntervalWritePacer implements WritePacer {
  readonly #intervalMs: number;
  #next = 0;

  constructor(options: { intervalMs: number }) {
    this.#intervalMs = options.intervalMs;
  }

  async schedule<T>(fn: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const start = Math.max(now, this.#next);
    this.#next = start + this.#intervalMs;
    if (start > now) {
      await new Promise(resolve => setTimeout(resolve, start - now));
    }
    return fn();
  }
}
