import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ApprovalStatus,
  CreateApprovalRequest,
} from '@paved/plugin-approvals-common';
import { Knex } from 'knex';
import {
  ApprovalDecision,
  ApprovalStore,
  StoredApprovalRequest,
} from './ApprovalStore';

const TABLE = 'paved_approvals__requests';
// Its own history, so that sharing a database with another plugin (tests,
// a single-database setup) never mixes two plugins' migrations.
const MIGRATIONS_TABLE = 'paved_approvals__knex_migrations';

type Row = {
  id: string;
  task_id: string;
  step_id: string;
  kind: string;
  subject_id: string;
  target: string;
  owner_ref: string;
  requester_ref: string;
  summary: string;
  task_url: string;
  status: string;
  decided_by: string | null;
  decided_at: string | number | null;
  reason: string | null;
  created_at: string | number;
};

function iso(epochMs: string | number): string {
  return new Date(Number(epochMs)).toISOString();
}

function fromRow(row: Row): StoredApprovalRequest {
  return {
    id: row.id,
    taskId: row.task_id,
    stepId: row.step_id,
    kind: row.kind as StoredApprovalRequest['kind'],
    subjectId: row.subject_id,
    target: row.target,
    ownerRef: row.owner_ref,
    requesterRef: row.requester_ref,
    summary: row.summary,
    taskUrl: row.task_url,
    status: row.status as ApprovalStatus,
    ...(row.decided_by && { decidedBy: row.decided_by }),
    ...(row.decided_at !== null && { decidedAt: iso(row.decided_at) }),
    ...(row.reason !== null && { reason: row.reason }),
    createdAt: iso(row.created_at),
  };
}

/**
 * The requests in the approvals plugin's database (SQLite or PostgreSQL).
 * A decision is one conditional update (`where status = 'pending'`), so two
 * people deciding at once cannot both win.
 */
export class DatabaseApprovalStore implements ApprovalStore {
  readonly #knex: Knex;

  /** Migrates the table (unless migrations are skipped) and builds the store. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseApprovalStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@paved/plugin-approvals-backend',
          'migrations',
        ),
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new DatabaseApprovalStore({ knex });
  }

  private constructor(options: { knex: Knex }) {
    this.#knex = options.knex;
  }

  async create(
    request: CreateApprovalRequest & { id: string; taskUrl: string },
  ): Promise<{ request: StoredApprovalRequest; created: boolean }> {
    await this.#knex(TABLE)
      .insert({
        id: request.id,
        task_id: request.taskId,
        step_id: request.stepId,
        kind: request.kind,
        subject_id: request.subjectId,
        target: request.target,
        owner_ref: request.ownerRef,
        requester_ref: request.requesterRef,
        summary: request.summary,
        task_url: request.taskUrl,
        status: 'pending',
        created_at: Date.now(),
      })
      .onConflict(['task_id', 'subject_id'])
      .ignore();
    const row: Row = await this.#knex(TABLE)
      .where({ task_id: request.taskId, subject_id: request.subjectId })
      .first();
    // The id is new for each call: the row is ours only if it was inserted now.
    return { request: fromRow(row), created: row.id === request.id };
  }

  async get(id: string): Promise<StoredApprovalRequest | undefined> {
    const row: Row | undefined = await this.#knex(TABLE).where({ id }).first();
    return row && fromRow(row);
  }

  async list(filter: {
    status?: ApprovalStatus;
    subjectId?: string;
  }): Promise<StoredApprovalRequest[]> {
    const query = this.#knex<Row>(TABLE).orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (filter.status) query.where({ status: filter.status });
    if (filter.subjectId) query.where({ subject_id: filter.subjectId });
    return (await query).map(fromRow);
  }

  async decide(
    decision: ApprovalDecision,
  ): Promise<StoredApprovalRequest | undefined> {
    const updated = await this.#knex(TABLE)
      .where({ id: decision.id, status: 'pending' })
      .update({
        status: decision.status,
        decided_by: decision.decidedBy,
        decided_at: decision.decidedAt.getTime(),
        reason: decision.reason ?? null,
      });
    if (updated === 0) return undefined;
    return this.get(decision.id);
  }
}
