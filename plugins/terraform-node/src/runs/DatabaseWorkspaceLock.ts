import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import os from 'node:os';

const TABLE = 'paved_terraform__workspace_leases';

/**
 * Who holds a workspace, as stored.
 *
 * @public
 */
export interface WorkspaceLeaseHolder {
  workspace: string;
  holder: string;
  host: string;
  runId: string;
  operation: string;
  acquiredAt: Date;
  expiresAt: Date;
}

/**
 * A held workspace lease: renewed in the background until released.
 *
 * @public
 */
export interface WorkspaceLease {
  readonly workspace: string;
  readonly holder: string;
  readonly runId: string;
  /** Aborted when the lease was lost and the run must stop. */
  readonly lost: AbortSignal;
  /** Gives the workspace back; safe to call more than once. */
  release(): Promise<void>;
}

/**
 * One run at a time per workspace, across replicas sharing the database: a
 * lease row per workspace that its holder renews while it runs. A holder
 * that dies stops renewing, and once the lease expires the next run takes
 * it over.
 *
 * @public
 */
export class DatabaseWorkspaceLock {
  readonly #knex: Knex;
  readonly #logger: LoggerService;
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #replicaId: string;
  readonly #host: string;
  readonly #now: () => number;

  private constructor(options: {
    knex: Knex;
    logger: LoggerService;
    leaseMs: number;
    heartbeatMs: number;
    replicaId: string;
    host: string;
    now: () => number;
  }) {
    this.#knex = options.knex;
    this.#logger = options.logger;
    this.#leaseMs = options.leaseMs;
    this.#heartbeatMs = options.heartbeatMs;
    this.#replicaId = options.replicaId;
    this.#host = options.host;
    this.#now = options.now;
  }

  static create(options: {
    knex: Knex;
    logger: LoggerService;
    leaseMs: number;
    /** How often a held lease is renewed; default a third of the lease. */
    heartbeatMs?: number;
    /** Identifies this replica in holder ids; default host, pid and a nonce. */
    replicaId?: string;
    host?: string;
    now?: () => number;
  }): DatabaseWorkspaceLock {
    const host = options.host ?? os.hostname();
    return new DatabaseWorkspaceLock({
      knex: options.knex,
      logger: options.logger,
      leaseMs: options.leaseMs,
      heartbeatMs:
        options.heartbeatMs ?? Math.max(50, Math.floor(options.leaseMs / 3)),
      replicaId:
        options.replicaId ??
        `${host}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`,
      host,
      now: options.now ?? Date.now,
    });
  }

  /** The current holder of a workspace, expired or not. */
  async holderOf(workspace: string): Promise<WorkspaceLeaseHolder | undefined> {
    const row = await this.#knex(TABLE).where({ workspace }).first();
    return row ? toHolder(row) : undefined;
  }

  /**
   * Takes the workspace for a run, or fails with a ConflictError naming the
   * live holder.
   */
  async acquire(options: {
    workspace: string;
    runId: string;
    operation: string;
  }): Promise<WorkspaceLease> {
    const { workspace, runId, operation } = options;
    const holder = `${this.#replicaId}/${runId}`;
    const now = this.#now();
    const row = {
      workspace,
      holder,
      host: this.#host,
      run_id: runId,
      operation,
      acquired_at: now,
      expires_at: now + this.#leaseMs,
    };
    await this.#knex(TABLE).insert(row).onConflict('workspace').ignore();
    let current = await this.#knex(TABLE).where({ workspace }).first();
    if (current && current.holder !== holder) {
      if (Number(current.expires_at) < now) {
        current = await this.takeOver(current, row);
      }
    }
    if (!current || current.holder !== holder) {
      throw busyError(workspace, current ? toHolder(current) : undefined);
    }
    return this.lease(workspace, holder, runId);
  }

  /**
   * Compare-and-swap of an expired lease, so that of two replicas racing
   * for it exactly one wins; the row that holds the workspace afterwards.
   */
  private async takeOver(current: any, row: Record<string, unknown>) {
    const { workspace } = current;
    const taken = await this.#knex(TABLE)
      .where({
        workspace,
        holder: current.holder,
        expires_at: current.expires_at,
      })
      .update(row);
    if (taken !== 1) {
      return this.#knex(TABLE).where({ workspace }).first();
    }
    this.#logger.warn('Took over an expired terraform workspace lease', {
      workspace,
      previousHolder: current.holder,
      previousHost: current.host,
      previousRunId: current.run_id,
    });
    return { ...row };
  }

  private lease(
    workspace: string,
    holder: string,
    runId: string,
  ): WorkspaceLease {
    const lost = new AbortController();
    const state = { released: false, expiresAt: this.#now() + this.#leaseMs };
    const timer = setInterval(async () => {
      if (state.released) return;
      const reason = await this.renew(workspace, holder, runId, state);
      if (reason) {
        clearInterval(timer);
        lost.abort(new ConflictError(reason));
      }
    }, this.#heartbeatMs);
    timer.unref?.();
    return {
      workspace,
      holder,
      runId,
      lost: lost.signal,
      release: async () => {
        if (state.released) return;
        state.released = true;
        clearInterval(timer);
        await this.#knex(TABLE).where({ workspace, holder }).delete();
      },
    };
  }

  /** Renews a held lease; why the lease is lost, when it is. */
  private async renew(
    workspace: string,
    holder: string,
    runId: string,
    state: { released: boolean; expiresAt: number },
  ): Promise<string | undefined> {
    try {
      const now = this.#now();
      const renewed = await this.#knex(TABLE)
        .where({ workspace, holder })
        .update({ expires_at: now + this.#leaseMs });
      if (state.released) return undefined;
      if (renewed === 1) {
        state.expiresAt = now + this.#leaseMs;
        return undefined;
      }
      this.#logger.error('Lost the terraform workspace lease', {
        workspace,
        runId,
      });
      return `Lost the lease of workspace "${workspace}": another run took it over`;
    } catch (error) {
      this.#logger.warn('Could not renew the terraform workspace lease', {
        workspace,
        runId,
        error: String(error),
      });
      if (this.#now() > state.expiresAt) {
        return `Lost the lease of workspace "${workspace}": it could not be renewed before it expired`;
      }
      return undefined;
    }
  }
}

/** The error of a workspace another run holds, naming the holder. */
function busyError(workspace: string, held: WorkspaceLeaseHolder | undefined) {
  return new ConflictError(
    held
      ? `Workspace "${workspace}" is busy: run ${held.runId} (${
          held.operation
        }) holds it on host ${
          held.host
        } since ${held.acquiredAt.toISOString()}; its lease expires at ${held.expiresAt.toISOString()} unless renewed`
      : `Workspace "${workspace}" is busy`,
  );
}

function toHolder(row: any): WorkspaceLeaseHolder {
  return {
    workspace: row.workspace,
    holder: row.holder,
    host: row.host,
    runId: row.run_id,
    operation: row.operation,
    acquiredAt: new Date(Number(row.acquired_at)),
    expiresAt: new Date(Number(row.expires_at)),
  };
}
