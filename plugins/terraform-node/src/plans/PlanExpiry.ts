import { LoggerService } from '@backstage/backend-plugin-api';
import { WorkspaceRuns } from '../runs/WorkspaceRuns';
import { DatabasePlanStore } from './DatabasePlanStore';
import { SavedPlanFiles } from './SavedPlanFiles';

/**
 * Expires unapplied plans older than `paved.terraform.planMaxAge`, with
 * their plan files, which hold the plans' variable values.
 */
export class PlanExpiry {
  readonly #maxAgeMs: number;
  readonly #plans: DatabasePlanStore;
  readonly #runs: WorkspaceRuns;
  readonly #savedPlans: SavedPlanFiles;
  readonly #logger: LoggerService;

  constructor(options: {
    maxAgeMs: number;
    plans: DatabasePlanStore;
    runs: WorkspaceRuns;
    savedPlans: SavedPlanFiles;
    logger: LoggerService;
  }) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#plans = options.plans;
    this.#runs = options.runs;
    this.#savedPlans = options.savedPlans;
    this.#logger = options.logger;
  }

  /**
   * Expires every old plan and sweeps this replica's run directories.
   * Workspaces with a run in progress are left for the next time. Returns
   * how many plans expired.
   */
  async expireAll(): Promise<number> {
    const old = await this.#plans.listUnapplied({
      olderThanMs: this.#maxAgeMs,
    });
    let expired = 0;
    for (const workspace of new Set(old.map(p => p.workspace))) {
      let run;
      try {
        run = await this.#runs.begin({ workspace, operation: 'expire-plans' });
      } catch (error) {
        if ((error as Error).name === 'ConflictError') continue;
        throw error;
      }
      try {
        expired += await this.expireWorkspace(workspace);
      } finally {
        await run.end();
      }
    }
    const swept = await this.#savedPlans.sweep();
    if (expired || swept) {
      this.#logger.info('Expired old terraform plans', { expired, swept });
    }
    return expired;
  }

  /** Expires a workspace's old plans; the caller holds the workspace. */
  async expireWorkspace(workspace: string): Promise<number> {
    let expired = 0;
    for (const old of await this.#plans.listUnapplied({
      workspace,
      olderThanMs: this.#maxAgeMs,
    })) {
      // The file goes only once the plan can no longer be applied. An
      // `applying` plan here was left by a process that died: the caller
      // holds the workspace's lease, so no apply of it is running.
      if (
        await this.#plans.update(old.planId, {
          status: 'expired',
          from: ['planned', 'applying', 'failed', 'stale'],
        })
      ) {
        const { directories } = this.#runs;
        await directories.remove(directories.resolve(old.runDir));
        expired++;
      }
    }
    return expired;
  }
}
