import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PlanBundle } from '../plans/PlanFileCipher';
import { TerraformStateBackend } from '../state/TerraformStateBackend';

/** The saved plan in a run directory. */
export const PLAN_FILE = 'paved.tfplan';
/** The plan of what is left, when an apply that stopped part way resumes. */
export const RESUME_PLAN_FILE = 'paved-resume.tfplan';
/** The request's variable values: JSON, so a value is never configuration. */
export const VARS_FILE = 'paved.auto.tfvars.json';
/** The generated, always empty, backend block. */
export const BACKEND_FILE = 'paved_backend.tf.json';
/** The dependency lock file `init` writes: the provider versions planned with. */
export const LOCK_FILE = '.terraform.lock.hcl';

/**
 * The working directories of runs, `<workDir>/<workspace>/runs/<runId>`:
 * each built from a vetted module's files, the generated backend and the
 * request's variables, and removed when the run is done with it.
 */
export class RunDirectories {
  readonly #workDir: string;
  readonly #stateBackend: TerraformStateBackend;

  constructor(options: {
    workDir: string;
    stateBackend: TerraformStateBackend;
  }) {
    this.#workDir = options.workDir;
    this.#stateBackend = options.stateBackend;
  }

  /** The absolute path of a run directory. */
  path(workspace: string, runId: string): string {
    // The workspace is checked already; the helper refuses any way out anyway.
    return resolveSafeChildPath(
      this.#workDir,
      path.join(workspace, 'runs', runId),
    );
  }

  /** A run directory's path relative to the work directory, as stored. */
  relative(runDir: string): string {
    return path.relative(this.#workDir, runDir);
  }

  /** The absolute path of a stored relative run directory. */
  resolve(relative: string): string {
    return resolveSafeChildPath(this.#workDir, relative);
  }

  /**
   * A fresh run directory: the module's files (none for commands that need
   * only the backend), the backend and the variables.
   */
  async prepare(options: {
    workspace: string;
    runId: string;
    moduleFiles?: string[];
    variables?: Record<string, unknown>;
  }): Promise<string> {
    const runDir = this.path(options.workspace, options.runId);
    await this.fill(runDir, options.moduleFiles ?? [], options.variables);
    return runDir;
  }

  private async fill(
    runDir: string,
    moduleFiles: string[],
    variables: Record<string, unknown> | undefined,
  ) {
    await fs.mkdir(runDir, { recursive: true, mode: 0o700 });
    for (const file of moduleFiles) {
      await fs.copyFile(file, path.join(runDir, path.basename(file)));
    }
    await fs.writeFile(
      path.join(runDir, BACKEND_FILE),
      `${JSON.stringify(this.#stateBackend.configuration(), null, 2)}\n`,
    );
    if (variables) {
      // JSON variable files: a value is data, never configuration.
      await fs.writeFile(
        path.join(runDir, VARS_FILE),
        `${JSON.stringify(variables, null, 2)}\n`,
        { mode: 0o600 },
      );
    }
  }

  /** What applying the run directory's saved plan elsewhere needs. */
  async capture(runDir: string): Promise<PlanBundle> {
    let lockFile: string | undefined;
    try {
      lockFile = await fs.readFile(path.join(runDir, LOCK_FILE), 'utf8');
    } catch {
      // Modules of built-in resources only have no lock file.
    }
    return {
      planFile: await fs.readFile(path.join(runDir, PLAN_FILE)),
      ...(lockFile !== undefined ? { lockFile } : {}),
      variables: await this.readVariables(runDir),
    };
  }

  /**
   * Rebuilds a plan's run directory on a replica that does not have it:
   * the module's files, the backend, the variables and the lock file, so
   * that `init` installs the providers the plan was made with. The plan
   * file is put in by `restorePlanFile` once `init` has run, so that a
   * plan file in a run directory always means an initialized one.
   */
  async restore(
    runDir: string,
    moduleFiles: string[],
    bundle: PlanBundle,
  ): Promise<void> {
    // Whatever an interrupted restore left is rebuilt from scratch.
    await this.remove(runDir);
    await this.fill(runDir, moduleFiles, bundle.variables);
    if (bundle.lockFile !== undefined) {
      await fs.writeFile(path.join(runDir, LOCK_FILE), bundle.lockFile);
    }
  }

  /** Writes a restored plan file into its initialized run directory. */
  async restorePlanFile(runDir: string, bundle: PlanBundle): Promise<void> {
    await fs.writeFile(path.join(runDir, PLAN_FILE), bundle.planFile, {
      mode: 0o600,
    });
  }

  /** Whether the run directory holds its saved plan file. */
  async hasPlanFile(runDir: string): Promise<boolean> {
    try {
      await fs.access(path.join(runDir, PLAN_FILE));
      return true;
    } catch {
      return false;
    }
  }

  /** Every run directory on this replica, with when it last changed. */
  async list(): Promise<
    Array<{ workspace: string; runId: string; dir: string; mtimeMs: number }>
  > {
    const out = [];
    let workspaces: string[];
    try {
      workspaces = await fs.readdir(this.#workDir);
    } catch {
      return [];
    }
    for (const workspace of workspaces) {
      let runIds: string[];
      try {
        runIds = await fs.readdir(path.join(this.#workDir, workspace, 'runs'));
      } catch {
        continue;
      }
      for (const runId of runIds) {
        const dir = path.join(this.#workDir, workspace, 'runs', runId);
        try {
          out.push({
            workspace,
            runId,
            dir,
            mtimeMs: (await fs.stat(dir)).mtimeMs,
          });
        } catch {
          // removed meanwhile
        }
      }
    }
    return out;
  }

  /** The variables a run directory was made with; empty when unreadable. */
  async readVariables(runDir: string): Promise<Record<string, unknown>> {
    try {
      return JSON.parse(
        await fs.readFile(path.join(runDir, VARS_FILE), 'utf8'),
      );
    } catch {
      return {};
    }
  }

  /** Removes a run directory and everything in it. */
  async remove(runDir: string): Promise<void> {
    await fs.rm(runDir, { recursive: true, force: true });
  }
}
