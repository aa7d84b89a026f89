import { Knex } from 'knex';
import {
  TerraformApplyResult,
  TerraformPlanStatus,
  TerraformPlanSummary,
} from './TerraformRunner';

const TABLE = 'paved_terraform__plans';

/**
 * A saved plan as stored: the plan file stays in its run directory, the
 * database keeps its checksum and redacted summary.
 *
 * @public
 */
export interface PlanRecord {
  planId: string;
  workspace: string;
  module: string;
  owner?: string;
  /** Run directory, relative to the work directory. */
  runDir: string;
  checksum: string;
  summary: TerraformPlanSummary;
  status: TerraformPlanStatus;
  hasChanges: boolean;
  destroy: boolean;
  createdAt: number;
  updatedAt: number;
  result?: TerraformApplyResult;
  error?: string;
}

/**
 * Saved plans in the database.
 *
 * @public
 */
export class DatabasePlanStore {
  private constructor(
    private readonly knex: Knex,
    private readonly now: () => number,
  ) {}

  static create(options: { knex: Knex; now?: () => number }) {
    return new DatabasePlanStore(options.knex, options.now ?? Date.now);
  }

  async insert(
    record: Omit<PlanRecord, 'createdAt' | 'updatedAt'>,
  ): Promise<PlanRecord> {
    const now = this.now();
    await this.knex(TABLE).insert({
      plan_id: record.planId,
      workspace: record.workspace,
      module: record.module,
      owner: record.owner ?? null,
      run_dir: record.runDir,
      checksum: record.checksum,
      summary: JSON.stringify(record.summary),
      status: record.status,
      has_changes: record.hasChanges,
      destroy: record.destroy,
      created_at: now,
      updated_at: now,
      result: record.result ? JSON.stringify(record.result) : null,
      error: record.error ?? null,
    });
    return { ...record, createdAt: now, updatedAt: now };
  }

  async get(planId: string): Promise<PlanRecord | undefined> {
    const row = await this.knex(TABLE).where({ plan_id: planId }).first();
    return row ? toRecord(row) : undefined;
  }

  /** Updates status (and result or error); returns false if the plan is gone. */
  async update(
    planId: string,
    patch: {
      status: TerraformPlanStatus;
      result?: TerraformApplyResult;
      error?: string | null;
      /** Only if the plan is in one of these states (compare-and-swap). */
      from?: TerraformPlanStatus[];
    },
  ): Promise<boolean> {
    let query = this.knex(TABLE).where({ plan_id: planId });
    if (patch.from) query = query.whereIn('status', patch.from);
    const changed = await query.update({
      status: patch.status,
      updated_at: this.now(),
      ...(patch.result ? { result: JSON.stringify(patch.result) } : {}),
      ...(patch.error !== undefined ? { error: patch.error } : {}),
    });
    return changed === 1;
  }

  /**
   * Plans not applied (planned, failed part way or stale) and older than
   * the given age, of one workspace or of all, oldest first.
   */
  async listUnapplied(options: {
    olderThanMs: number;
    workspace?: string;
  }): Promise<PlanRecord[]> {
    let query = this.knex(TABLE)
      .whereIn('status', ['planned', 'failed', 'stale'])
      .where('created_at', '<', this.now() - options.olderThanMs);
    if (options.workspace)
      query = query.where({ workspace: options.workspace });
    const rows = await query.orderBy('created_at', 'asc');
    return rows.map(toRecord);
  }
}

function toRecord(row: any): PlanRecord {
  return {
    planId: row.plan_id,
    workspace: row.workspace,
    module: row.module,
    ...(row.owner ? { owner: row.owner } : {}),
    runDir: row.run_dir,
    checksum: row.checksum,
    summary: JSON.parse(row.summary),
    status: row.status,
    hasChanges: Boolean(row.has_changes),
    destroy: Boolean(row.destroy),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    ...(row.result ? { result: JSON.parse(row.result) } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}
