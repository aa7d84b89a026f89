import { Knex } from 'knex';
import { SealedPlanBundle } from './PlanFileCipher';
import {
  TerraformApplyResult,
  TerraformPlanStatus,
  TerraformPlanSummary,
} from '../TerraformRunner';

const TABLE = 'paved_terraform__plans';
const FILES = 'paved_terraform__plan_files';

/** Plans in these states can never be applied: their plan file goes. */
const FINAL: TerraformPlanStatus[] = [
  'applied',
  'expired',
  'stale',
  'discarded',
];

/**
 * A stored plan file: sealed, with the size of the plan file itself.
 *
 * @public
 */
export interface StoredPlanFile extends SealedPlanBundle {
  planFileBytes: number;
}

/**
 * A saved plan as stored: its checksum, redacted summary and status here,
 * its plan file sealed in a table of its own (and in its run directory on
 * the replica that made it).
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
  readonly #knex: Knex;
  readonly #now: () => number;

  private constructor(options: { knex: Knex; now: () => number }) {
    this.#knex = options.knex;
    this.#now = options.now;
  }

  static create(options: { knex: Knex; now?: () => number }) {
    return new DatabasePlanStore({
      knex: options.knex,
      now: options.now ?? Date.now,
    });
  }

  /** Saves a plan, and its plan file in the same transaction. */
  async insert(
    record: Omit<PlanRecord, 'createdAt' | 'updatedAt'>,
    planFile?: StoredPlanFile,
  ): Promise<PlanRecord> {
    const now = this.#now();
    await this.#knex.transaction(async trx => {
      await trx(TABLE).insert({
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
      if (planFile) {
        await trx(FILES).insert({
          plan_id: record.planId,
          content: planFile.content,
          key_id: planFile.keyId,
          plan_file_bytes: planFile.planFileBytes,
          created_at: now,
        });
      }
    });
    return { ...record, createdAt: now, updatedAt: now };
  }

  /** The sealed plan file of a plan that can still be applied. */
  async getPlanFile(planId: string): Promise<StoredPlanFile | undefined> {
    const row = await this.#knex(FILES).where({ plan_id: planId }).first();
    if (!row) return undefined;
    return {
      content: Buffer.isBuffer(row.content)
        ? row.content
        : Buffer.from(row.content),
      keyId: row.key_id,
      planFileBytes: Number(row.plan_file_bytes),
    };
  }

  async get(planId: string): Promise<PlanRecord | undefined> {
    const row = await this.#knex(TABLE).where({ plan_id: planId }).first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Updates status (and result or error); returns false if the plan is
   * gone. A plan that can no longer be applied loses its plan file in the
   * same transaction.
   */
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
    return this.#knex.transaction(async trx => {
      let query = trx(TABLE).where({ plan_id: planId });
      if (patch.from) query = query.whereIn('status', patch.from);
      const changed = await query.update({
        status: patch.status,
        updated_at: this.#now(),
        ...(patch.result ? { result: JSON.stringify(patch.result) } : {}),
        ...(patch.error !== undefined ? { error: patch.error } : {}),
      });
      if (changed === 1 && FINAL.includes(patch.status)) {
        await trx(FILES).where({ plan_id: planId }).delete();
      }
      return changed === 1;
    });
  }

  /** Whether any plan of the workspace was ever saved. */
  async hasAny(workspace: string): Promise<boolean> {
    const row = await this.#knex(TABLE)
      .where({ workspace })
      .select('plan_id')
      .first();
    return Boolean(row);
  }

  /** The status of each of these plans that exists. */
  async statuses(planIds: string[]): Promise<Map<string, TerraformPlanStatus>> {
    const out = new Map<string, TerraformPlanStatus>();
    // Batches keep each query under every engine's parameter limit.
    for (let i = 0; i < planIds.length; i += 500) {
      const rows = await this.#knex(TABLE)
        .whereIn('plan_id', planIds.slice(i, i + 500))
        .select('plan_id', 'status');
      for (const row of rows) out.set(row.plan_id, row.status);
    }
    return out;
  }

  /**
   * Plans not applied (planned, failed part way, stale, or left applying
   * by a process that died) and older than the given age, of one workspace
   * or of all, oldest first.
   */
  async listUnapplied(options: {
    olderThanMs: number;
    workspace?: string;
  }): Promise<PlanRecord[]> {
    let query = this.#knex(TABLE)
      .whereIn('status', ['planned', 'applying', 'failed', 'stale'])
      .where('created_at', '<', this.#now() - options.olderThanMs);
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
