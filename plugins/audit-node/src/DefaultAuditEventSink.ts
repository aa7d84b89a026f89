import { LoggerService } from '@backstage/backend-plugin-api';
import { AuditorEvent } from '@backstage/backend-defaults/auditor';
import { AuditRecord } from './AuditRecord';
import { AuditEventSink } from './AuditEventSink';
import { toAuditRecord } from './toAuditRecord';

/** Options of {@link DefaultAuditEventSink.create}. @public */
export type DefaultAuditEventSinkOptions = {
  logger?: LoggerService;
  /** Records kept while nobody drains them; the oldest go first. Default 20,000. */
  maxPending?: number;
  /** When `onBatchReady` listeners are called. Default 200. */
  batchSize?: number;
};

/**
 * An in-memory, bounded queue of audit records between the auditor of
 * every plugin and the audit plugin's table.
 *
 * @public
 */
export class DefaultAuditEventSink implements AuditEventSink {
  readonly #logger?: LoggerService;
  readonly #maxPending: number;
  readonly #batchSize: number;
  readonly #listeners = new Set<() => void>();
  #queue: AuditRecord[] = [];
  #dropped = 0;

  static create(options: DefaultAuditEventSinkOptions = {}) {
    return new DefaultAuditEventSink(options);
  }

  private constructor(options: DefaultAuditEventSinkOptions) {
    this.#logger = options.logger;
    this.#maxPending = options.maxPending ?? 20_000;
    this.#batchSize = options.batchSize ?? 200;
  }

  push(event: AuditorEvent): void {
    if (!isKept(event)) return;
    try {
      this.#queue.push(toAuditRecord(event));
    } catch (error) {
      this.#logger?.warn('Audit event not kept', {
        eventId: event.eventId,
        plugin: event.plugin,
        error: String(error),
      });
      return;
    }
    this.#trim();
    if (this.#queue.length === this.#batchSize) {
      for (const listener of this.#listeners) listener();
    }
  }

  take(max: number): AuditRecord[] {
    return this.#queue.splice(0, max);
  }

  putBack(records: AuditRecord[]): void {
    this.#queue = [...records, ...this.#queue];
    this.#trim();
  }

  pending(): number {
    return this.#queue.length;
  }

  onBatchReady(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #trim() {
    const over = this.#queue.length - this.#maxPending;
    if (over <= 0) return;
    this.#queue.splice(0, over);
    // One warning per 1,000 lost records, so a stalled database is visible without flooding the log
    const before = Math.floor(this.#dropped / 1000);
    this.#dropped += over;
    if (before !== Math.floor(this.#dropped / 1000) || this.#dropped === over) {
      this.#logger?.warn('Audit records dropped: nothing drained the sink', {
        dropped: this.#dropped,
      });
    }
  }
}

/** Every outcome; starts only of high and critical operations. */
function isKept(event: AuditorEvent): boolean {
  return (
    event.status !== 'initiated' ||
    event.severityLevel === 'high' ||
    event.severityLevel === 'critical'
  );
}
