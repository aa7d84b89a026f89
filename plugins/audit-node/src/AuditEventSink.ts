import { AuditorEvent } from '@backstage/backend-defaults/auditor';
import { AuditRecord } from './AuditRecord';

/**
 * Where the auditor hands every event, in process, for the audit plugin
 * to store. Pushing never waits for a database: the plugin drains the
 * sink in batches.
 *
 * @public
 */
export interface AuditEventSink {
  /**
   * Takes one auditor event. Kept: every `succeeded` and `failed` event,
   * and `initiated` ones of high or critical severity (so a destructive
   * step whose process died half-way is still on record). Never throws.
   */
  push(event: AuditorEvent): void;
  /** Removes and returns up to `max` waiting records, oldest first. */
  take(max: number): AuditRecord[];
  /** Puts records that could not be stored back at the front. */
  putBack(records: AuditRecord[]): void;
  /** How many records wait. */
  pending(): number;
  /**
   * Calls `listener` whenever a push makes `pending()` reach the batch
   * size; returns the unsubscribe.
   */
  onBatchReady(listener: () => void): () => void;
}
