import { AuditRecord, AuditStatus } from '@paved/plugin-audit-node';

/** Where a page of the trail continues: the last event it returned. */
export type AuditCursor = { time: number; id: string };

/** A query of the trail; every field narrows it. */
export type AuditQuery = {
  /** Exactly this actor (`user:default/lena-fischer`, `plugin:scaffolder`). */
  actor?: string;
  /** Targets containing this text, in any letter case. */
  target?: string;
  eventId?: string;
  plugin?: string;
  status?: AuditStatus;
  taskId?: string;
  /** From this time on (epoch ms, inclusive). */
  from?: number;
  /** Up to this time (epoch ms, inclusive). */
  to?: number;
  limit: number;
  cursor?: AuditCursor;
};

/** Newest first; `nextCursor` when there is more. */
export type AuditPage = { events: AuditRecord[]; nextCursor?: AuditCursor };

/** The audit plugin's table. */
export interface AuditStore {
  /** Stores records; a record stored before (same id) is left as it is. */
  insert(records: AuditRecord[]): Promise<void>;
  query(query: AuditQuery): Promise<AuditPage>;
  /** Deletes events older than `time` (epoch ms); returns how many. */
  deleteOlderThan(time: number): Promise<number>;
}
