import { JsonObject } from '@backstage/types';

/** How grave an auditor event is, as the auditor service grades it. @public */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';

/** Where an audited operation stands. @public */
export type AuditStatus = 'initiated' | 'succeeded' | 'failed';

/**
 * One auditor event as the audit trail keeps it: who did what to which
 * target, in which task, and how it ended.
 *
 * @public
 */
export type AuditRecord = {
  /**
   * A UUID v7 (time-ordered within a process), so that writing a record
   * twice stores it once and events of one millisecond keep their order.
   */
  id: string;
  /** When the auditor reported it, epoch ms. */
  time: number;
  /** The plugin whose auditor reported it (`scaffolder`, `catalog`). */
  plugin: string;
  /** What happened, kebab-case (`task`, `namespace-delete`). */
  eventId: string;
  severity: AuditSeverity;
  status: AuditStatus;
  /**
   * Who: the user a Paved action acted for (`meta.actor`), else the
   * credentials the auditor saw (a user ref or a service subject).
   */
  actor: string | null;
  /** What it acted on: `meta.target`, else the best summary of the meta. */
  target: string | null;
  /** The scaffolder task, when one did it (`meta.taskId`). */
  taskId: string | null;
  /** Why it failed. */
  error: string | null;
  /** The event's meta, without secret-looking keys, size-capped. */
  meta: JsonObject | null;
};
