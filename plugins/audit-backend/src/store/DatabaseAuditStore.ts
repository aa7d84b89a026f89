import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { AuditRecord } from '@paved/plugin-audit-node';
import { Knex } from 'knex';
import { AuditPage, AuditQuery, AuditStore } from './AuditStore';

const TABLE = 'paved_audit__events';
/** Rows per INSERT: 11 columns each stays under SQLite's 999 parameters. */
const INSERT_CHUNK = 80;

type Row = {
  id: string;
  time: number | string;
  plugin: string;
  event_id: string;
  severity: string;
  status: string;
  actor: string | null;
  target: string | null;
  task_id: string | null;
  error: string | null;
  meta: string | null;
};

function toRow(record: AuditRecord): Row {
  return {
    id: record.id,
    time: record.time,
    plugin: record.plugin,
    event_id: record.eventId,
    severity: record.severity,
    status: record.status,
    actor: record.actor,
    target: record.target,
    task_id: record.taskId,
    error: record.error,
    meta: record.meta ? JSON.stringify(record.meta) : null,
  };
}

function fromRow(row: Row): AuditRecord {
  return {
    id: row.id,
    time: Number(row.time),
    plugin: row.plugin,
    eventId: row.event_id,
    severity: row.severity as AuditRecord['severity'],
    status: row.status as AuditRecord['status'],
    actor: row.actor,
    target: row.target,
    taskId: row.task_id,
    error: row.error,
    meta: row.meta ? JSON.parse(row.meta) : null,
  };
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
function likeLiteral(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`);
}

/**
 * The trail in the audit plugin's own database (SQLite or PostgreSQL).
 */
export class DatabaseAuditStore implements AuditStore {
  readonly #knex: Knex;

  /** A store over the plugin's database; migrates its table first. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAuditStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@paved/plugin-audit-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseAuditStore({ knex });
  }

  private constructor(options: { knex: Knex }) {
    this.#knex = options.knex;
  }

  async insert(records: AuditRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      await this.#knex(TABLE)
        .insert(records.slice(i, i + INSERT_CHUNK).map(toRow))
        .onConflict('id')
        .ignore();
    }
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const q = this.#knex<Row>(TABLE);
    const exact = {
      actor: query.actor,
      event_id: query.eventId,
      plugin: query.plugin,
      status: query.status,
      task_id: query.taskId,
    };
    for (const [column, value] of Object.entries(exact)) {
      if (value !== undefined) q.where(column, value);
    }
    if (query.target !== undefined) {
      q.whereRaw(`LOWER(target) LIKE ? ESCAPE '\\'`, [
        `%${likeLiteral(query.target)}%`,
      ]);
    }
    if (query.from !== undefined) q.where('time', '>=', query.from);
    if (query.to !== undefined) q.where('time', '<=', query.to);
    const cursor = query.cursor;
    if (cursor) {
      q.where(w =>
        w
          .where('time', '<', cursor.time)
          .orWhere(e =>
            e.where('time', cursor.time).andWhere('id', '<', cursor.id),
          ),
      );
    }
    const rows: Row[] = await q
      .orderBy([
        { column: 'time', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit + 1);
    const events = rows.slice(0, query.limit).map(fromRow);
    const last = events[events.length - 1];
    return rows.length > query.limit && last
      ? { events, nextCursor: { time: last.time, id: last.id } }
      : { events };
  }

  async deleteOlderThan(time: number): Promise<number> {
    return this.#knex(TABLE).where('time', '<', time).delete();
  }
}
