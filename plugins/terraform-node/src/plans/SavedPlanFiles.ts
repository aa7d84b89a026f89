import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  DatabasePlanStore,
  PlanRecord,
  StoredPlanFile,
} from './DatabasePlanStore';
import { PlanBundle, PlanFileCipher } from './PlanFileCipher';
import {
  DEFAULT_PLAN_MAX_BYTES,
  TerraformRunnerSettings,
} from '../readTerraformRunnerConfig';
import { formatBytes } from '../format';
import { PLAN_FILE, RunDirectories } from '../runs/RunDirectories';
import { WorkspaceRuns } from '../runs/WorkspaceRuns';
import { TerraformPlanStatus } from '../TerraformRunner';

/** The generated plan encryption key, when none is configured. */
const KEY_FILE = '.paved-plan-files.key';

/** Plans that can never be applied: their run directories can go. */
const DONE: TerraformPlanStatus[] = [
  'applied',
  'expired',
  'stale',
  'discarded',
];

/** The SHA-256 of a plan file, as plans record it. */
export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The SHA-256 of a plan file on disk. */
export async function sha256File(file: string): Promise<string> {
  return sha256(await fs.readFile(file));
}

/**
 * Saved plans beyond the replica that made them. Each plan file is sealed
 * into the database with what applying it needs (lock file, variables); a
 * replica without the plan's run directory gets the bundle back and
 * rebuilds the directory; each replica sweeps its run directories of plans
 * that are done, wherever they were applied.
 */
export class SavedPlanFiles {
  readonly #settings: TerraformRunnerSettings;
  readonly #plans: DatabasePlanStore;
  readonly #runs: WorkspaceRuns;
  readonly #runDirs: RunDirectories;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  #cipherPromise?: Promise<PlanFileCipher>;

  constructor(options: {
    settings: TerraformRunnerSettings;
    plans: DatabasePlanStore;
    /** Runs take the workspace for a sweep, as for any other run. */
    runs: WorkspaceRuns;
    logger: LoggerService;
    now: () => number;
  }) {
    this.#settings = options.settings;
    this.#plans = options.plans;
    this.#runs = options.runs;
    this.#runDirs = options.runs.directories;
    this.#logger = options.logger;
    this.#now = options.now;
  }

  /**
   * The plan file of a fresh plan with what applying it needs, sealed for
   * the database; refused past `paved.terraform.planMaxBytes`.
   */
  async seal(
    planId: string,
    runDir: string,
    what: { module: string; workspace: string },
  ): Promise<StoredPlanFile> {
    const max = this.#settings.planMaxBytes ?? DEFAULT_PLAN_MAX_BYTES;
    const { size } = await fs.stat(path.join(runDir, PLAN_FILE));
    if (size > max) {
      throw new NotAllowedError(
        `The plan of module ${what.module} in workspace ${
          what.workspace
        } is ${formatBytes(size)}, more than the ${formatBytes(
          max,
        )} that paved.terraform.planMaxBytes allows to keep for apply; plan fewer resources per workspace, or raise the limit`,
      );
    }
    const sealed = (await this.cipher()).seal(
      planId,
      await this.#runDirs.capture(runDir),
    );
    return { ...sealed, planFileBytes: size };
  }

  /**
   * The plan's bundle from the database when `runDir` lacks its plan file
   * (the plan was made on another replica, or before this one restarted),
   * decrypted and checked against the plan's checksum; undefined when the
   * run directory has it.
   */
  async missing(
    record: PlanRecord,
    runDir: string,
  ): Promise<PlanBundle | undefined> {
    if (await this.#runDirs.hasPlanFile(runDir)) return undefined;
    const stored = await this.#plans.getPlanFile(record.planId);
    if (!stored) {
      throw new NotFoundError(
        `planId: the plan file of plan ${record.planId} is neither on this replica nor in the database; plan again`,
      );
    }
    const bundle = (await this.cipher()).open(record.planId, stored);
    if (sha256(bundle.planFile) !== record.checksum) {
      throw new ConflictError(
        `planId: the plan file of plan ${record.planId} changed since it was reviewed (checksum mismatch); plan again`,
      );
    }
    return bundle;
  }

  /**
   * Rebuilds a run directory from a bundle: the module's files, the
   * variables and the lock file, then `init` (which installs the providers
   * the lock file names), then the plan file, so that a plan file in a run
   * directory always means an initialized one. Nothing is left of a
   * restore that fails.
   */
  async restore(
    runDir: string,
    moduleFiles: string[],
    bundle: PlanBundle,
    init: () => Promise<void>,
  ): Promise<void> {
    try {
      await this.#runDirs.restore(runDir, moduleFiles, bundle);
      await init();
      await this.#runDirs.restorePlanFile(runDir, bundle);
    } catch (error) {
      await this.#runDirs.remove(runDir);
      throw error;
    }
  }

  /**
   * Removes this replica's run directories that no plan needs any more:
   * those of plans applied, expired or made stale (here or on another
   * replica), and leftovers older than the plan age of runs that ended
   * without a plan, unless a run holds their workspace. Returns how many.
   */
  async sweep(): Promise<number> {
    const dirs = await this.#runDirs.list();
    const statuses = await this.#plans.statuses(dirs.map(d => d.runId));
    let swept = 0;
    for (const dir of dirs) {
      const status = statuses.get(dir.runId);
      if (status && !DONE.includes(status)) continue;
      if (status) {
        await this.#runDirs.remove(dir.dir);
        swept++;
        continue;
      }
      if (this.#now() - dir.mtimeMs < this.#settings.planMaxAgeMs) continue;
      const run = await this.#runs
        .begin({ workspace: dir.workspace, operation: 'expire-plans' })
        .catch(() => undefined);
      if (!run) continue;
      try {
        await this.#runDirs.remove(dir.dir);
        swept++;
      } finally {
        await run.end();
      }
    }
    return swept;
  }

  /** The cipher of saved plan files, its key read (or generated) once. */
  private cipher(): Promise<PlanFileCipher> {
    if (!this.#cipherPromise) {
      const { planEncryptionKey, previousPlanEncryptionKeys, workDir } =
        this.#settings;
      this.#cipherPromise = (
        planEncryptionKey
          ? Promise.resolve(
              PlanFileCipher.fromSecret(
                planEncryptionKey,
                previousPlanEncryptionKeys,
              ),
            )
          : PlanFileCipher.fromKeyFile(
              path.join(workDir, KEY_FILE),
              this.#logger,
            )
      ).catch(error => {
        this.#cipherPromise = undefined;
        throw error;
      });
    }
    return this.#cipherPromise;
  }
}
