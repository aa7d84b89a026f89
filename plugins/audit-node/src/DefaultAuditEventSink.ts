import { LoggerService } from '@backstage/backend-plugin-api';
import { AuditorEvent } from '@backstage/backend-defaults/auditor';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AuditRecord, AuditSeverity } from './AuditRecord';
import { AuditEventSink } from './AuditEventSink';
import { toAuditRecord } from './toAuditRecord';

/** Options of {@link DefaultAuditEventSink.create}. @public */
export type DefaultAuditEventSinkOptions = {
  logger?: LoggerService;
  /** Records kept while nobody drains them; the oldest go first. Default 20,000. */
  maxPending?: number;
  /** When `onBatchReady` listeners are called. Default 200. */
  batchSize?: number;
  /**
   * Outcomes below this severity are not kept, failures excepted (a
   * refusal is always kept). Default `low`: everything.
   */
  minimumSeverity?: AuditSeverity;
};

const SEVERITIES: AuditSeverity[] = ['low', 'medium', 'high', 'critical'];

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
  readonly #minimumRank: number;
  readonly #listeners = new Set<() => void>();
  #queue: AuditRecord[] = [];
  #dropped = 0;

  static create(options: DefaultAuditEventSinkOptions = {}) {
    return new DefaultAuditEventSink(options);
  }

  /** A sink with `paved.audit.minimumSeverity`. */
  static fromConfig(
    config: Config,
    options: Omit<DefaultAuditEventSinkOptions, 'minimumSeverity'> = {},
  ) {
    const key = 'paved.audit.minimumSeverity';
    const value = config.getOptionalString(key);
    if (value !== undefined && !SEVERITIES.includes(value as AuditSeverity)) {
      throw new InputError(
        `Invalid ${key} '${value}': expected one of ${SEVERITIES.join(', ')}`,
      );
    }
    return new DefaultAuditEventSink({
      ...options,
      minimumSeverity: value as AuditSeverity | undefined,
    });
  }

  private constructor(options: DefaultAuditEventSinkOptions) {
    this.#logger = options.logger;
    this.#maxPending = options.maxPending ?? 20_000;
    this.#batchSize = options.batchSize ?? 200;
    this.#minimumRank = SEVERITIES.indexOf(options.minimumSeverity ?? 'low');
  }

  push(event: AuditorEvent): void {
    if (!this.#isKept(event)) return;
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

  /**
   * Every failure; other outcomes from the minimum severity up; starts only
   * of high and critical operations.
   */
  #isKept(event: AuditorEvent): boolean {
    if (event.status === 'failed') return true;
    const rank = SEVERITIES.indexOf(event.severityLevel);
    if (event.status === 'initiated') return rank >= SEVERITIES.indexOf('high');
    return rank >= this.#minimumRank;
  }
}
