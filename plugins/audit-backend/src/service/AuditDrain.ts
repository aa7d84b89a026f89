import { LoggerService } from '@backstage/backend-plugin-api';
import { AuditEventSink } from '@paved/plugin-audit-node';
import { AuditStore } from '../store/AuditStore';

/** Options of {@link AuditDrain.create}. */
export type AuditDrainOptions = {
  sink: AuditEventSink;
  store: AuditStore;
  logger: LoggerService;
  /** How often waiting records are written. Default 1 s. */
  intervalMs?: number;
  /** Records per write. Default 500. */
  batchSize?: number;
};

/**
 * Moves the sink's records into the store: every `intervalMs`, as soon as a
 * batch is ready, and once more on stop. One write at a time; a batch that
 * fails goes back to the sink for the next round.
 */
export class AuditDrain {
  readonly #sink: AuditEventSink;
  readonly #store: AuditStore;
  readonly #logger: LoggerService;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  #chain: Promise<void> = Promise.resolve();
  #timer?: NodeJS.Timeout;
  #unsubscribe?: () => void;

  static create(options: AuditDrainOptions) {
    return new AuditDrain(options);
  }

  private constructor(options: AuditDrainOptions) {
    this.#sink = options.sink;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#batchSize = options.batchSize ?? 500;
  }

  start(): void {
    this.#unsubscribe = this.#sink.onBatchReady(() => void this.flush());
    this.#timer = setInterval(() => void this.flush(), this.#intervalMs);
    this.#timer.unref();
  }

  /** Writes everything waiting now; resolves when written (or put back). */
  flush(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#drain());
    return this.#chain;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    await this.flush();
  }

  async #drain(): Promise<void> {
    while (this.#sink.pending() > 0) {
      const batch = this.#sink.take(this.#batchSize);
      try {
        await this.#store.insert(batch);
      } catch (error) {
        this.#sink.putBack(batch);
        this.#logger.warn('Could not store audit events; will retry', {
          count: batch.length,
          error: String(error),
        });
        return;
      }
    }
  }
}
