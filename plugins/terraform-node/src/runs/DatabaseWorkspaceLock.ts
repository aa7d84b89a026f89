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
  private constructor(
    private readonly knex: Knex,
    private readonly logger: LoggerService,
    private readonly leaseMs: number,
    private readonly heartbeatMs: number,
    private readonly replicaId: string,
    private readonly host: string,
    private readonly now: () => number,
  ) {}

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
    return new DatabaseWorkspaceLock(
      options.knex,
      options.logger,
      options.leaseMs,
      options.heartbeatMs ?? Math.max(50, Math.floor(options.leaseMs / 3)),
      options.replicaId ??
        `${host}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`,
      host,
      options.now ?? Date.now,
    );
  }

  /** The current holder of a workspace, expired or not. */
  async holderOf(workspace: string): Promise<WorkspaceLeaseHolder | undefined> {
    const row = await this.knex(TABLE).where({ workspace }).first();
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
    const holder = `${this.replicaId}/${runId}`;
    const now = this.now();
    const row = {
      workspace,
      holder,
      host: this.host,
      run_id: runId,
      operation,
      acquired_at: now,
      expires_at: now + this.leaseMs,
    };
    await this.knex(TABLE).insert(row).onConflict('workspace').ignore();
    let current = await this.knex(TABLE).where({ workspace }).first();
    if (current && current.holder !== holder) {
      if (Number(current.expires_at) < now) {
        // Compare-and-swap, so that of two replicas racing for an expired
        // lease exactly one wins.
        const taken = await this.knex(TABLE)
          .where({
            workspace,
            holder: current.holder,
            expires_at: current.expires_at,
          })
          .update(row);
        if (taken === 1) {
          this.logger.warn('Took over an expired terraform workspace lease', {
            workspace,
            previousHolder: current.holder,
            previousHost: current.host,
            previousRunId: current.run_id,
          });
          current = { ...row };
        } else {
          current = await this.knex(TABLE).where({ workspace }).first();
        }
      }
    }
    if (!current || current.holder !== holder) {
      const held = current ? toHolder(current) : undefined;
      throw new ConflictError(
        held
          ? `Workspace "${workspace}" is busy: run ${held.runId} (${
              held.operation
            }) holds it on host ${
              held.host
            } since ${held.acquiredAt.toISOString()}; its lease expires at ${held.expiresAt.toISOString()} unless renewed`
          : `Workspace "${workspace}" is busy`,
      );
    }
    return this.lease(workspace, holder, runId);
  }

  private lease(
    workspace: string,
    holder: string,
    runId: string,
  ): WorkspaceLease {
    const lost = new AbortController();
    let released = false;
    let expiresAt = this.now() + this.leaseMs;
    const timer = setInterval(async () => {
      if (released) return;
      try {
        const now = this.now();
        const renewed = await this.knex(TABLE)
          .where({ workspace, holder })
          .update({ expires_at: now + this.leaseMs });
        if (released) return;
        if (renewed === 1) {
          expiresAt = now + this.leaseMs;
          return;
        }
        this.logger.error('Lost the terraform workspace lease', {
          workspace,
          runId,
        });
        clearInterval(timer);
        lost.abort(
          new ConflictError(
            `Lost the lease of workspace "${workspace}": another run took it over`,
          ),
        );
      } catch (error) {
        this.logger.warn('Could not renew the terraform workspace lease', {
          workspace,
          runId,
          error: String(error),
        });
        if (this.now() > expiresAt) {
          clearInterval(timer);
          lost.abort(
            new ConflictError(
              `Lost the lease of workspace "${workspace}": it could not be renewed before it expired`,
            ),
          );
        }
      }
    }, this.heartbeatMs);
    timer.unref?.();
    return {
      workspace,
      holder,
      runId,
      lost: lost.signal,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.knex(TABLE).where({ workspace, holder }).delete();
      },
    };
  }
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
