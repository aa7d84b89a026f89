import { Knex } from 'knex';
import { TerraformWorkspaceOwner } from '../TerraformRunner';

const TABLE = 'paved_terraform__workspace_owners';

/**
 * The owning group of each workspace, recorded once, at its first plan.
 * The first record wins: a second claim (a concurrent first plan by
 * another team) gets the recorded owner back, never overwrites it.
 */
export class DatabaseWorkspaceOwners {
  readonly #knex: Knex;
  readonly #now: () => number;

  private constructor(options: { knex: Knex; now: () => number }) {
    this.#knex = options.knex;
    this.#now = options.now;
  }

  static create(options: { knex: Knex; now?: () => number }) {
    return new DatabaseWorkspaceOwners({
      knex: options.knex,
      now: options.now ?? Date.now,
    });
  }

  async get(workspace: string): Promise<TerraformWorkspaceOwner | undefined> {
    const row = await this.#knex(TABLE).where({ workspace }).first();
    return row ? toOwner(row) : undefined;
  }

  /** Records the owner unless one is recorded; returns the recorded one. */
  async claim(request: {
    workspace: string;
    ownerRef: string;
    recordedBy?: string;
    taskId?: string;
  }): Promise<TerraformWorkspaceOwner> {
    await this.#knex(TABLE)
      .insert({
        workspace: request.workspace,
        owner_ref: request.ownerRef,
        recorded_by: request.recordedBy ?? null,
        task_id: request.taskId ?? null,
        recorded_at: this.#now(),
      })
      .onConflict('workspace')
      .ignore();
    const recorded = await this.get(request.workspace);
    if (!recorded) {
      throw new Error(`workspace ${request.workspace}: owner not recorded`);
    }
    return recorded;
  }
}

function toOwner(row: any): TerraformWorkspaceOwner {
  return {
    workspace: row.workspace,
    ownerRef: row.owner_ref,
    ...(row.recorded_by ? { recordedBy: row.recorded_by } : {}),
    ...(row.task_id ? { taskId: row.task_id } : {}),
    recordedAt: new Date(Number(row.recorded_at)).toISOString(),
  };
}
