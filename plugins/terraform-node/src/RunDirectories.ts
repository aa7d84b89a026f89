import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TerraformStateBackend } from './TerraformStateBackend';

/** The saved plan in a run directory. */
export const PLAN_FILE = 'paved.tfplan';
/** The plan of what is left, when an apply that stopped part way resumes. */
export const RESUME_PLAN_FILE = 'paved-resume.tfplan';
/** The request's variable values: JSON, so a value is never configuration. */
export const VARS_FILE = 'paved.auto.tfvars.json';
/** The generated, always empty, backend block. */
export const BACKEND_FILE = 'paved_backend.tf.json';

/**
 * The working directories of runs, `<workDir>/<workspace>/runs/<runId>`:
 * each built from a vetted module's files, the generated backend and the
 * request's variables, and removed when the run is done with it.
 */
export class RunDirectories {
  constructor(
    private readonly workDir: string,
    private readonly stateBackend: TerraformStateBackend,
  ) {}

  /** The absolute path of a run directory. */
  path(workspace: string, runId: string): string {
    // The workspace is checked already; the helper refuses any way out anyway.
    return resolveSafeChildPath(
      this.workDir,
      path.join(workspace, 'runs', runId),
    );
  }

  /** A run directory's path relative to the work directory, as stored. */
  relative(runDir: string): string {
    return path.relative(this.workDir, runDir);
  }

  /** The absolute path of a stored relative run directory. */
  resolve(relative: string): string {
    return resolveSafeChildPath(this.workDir, relative);
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
    await fs.mkdir(runDir, { recursive: true, mode: 0o700 });
    for (const file of options.moduleFiles ?? []) {
      await fs.copyFile(file, path.join(runDir, path.basename(file)));
    }
    await fs.writeFile(
      path.join(runDir, BACKEND_FILE),
      `${JSON.stringify(this.stateBackend.configuration(), null, 2)}\n`,
    );
    if (options.variables) {
      // JSON variable files: a value is data, never configuration.
      await fs.writeFile(
        path.join(runDir, VARS_FILE),
        `${JSON.stringify(options.variables, null, 2)}\n`,
        { mode: 0o600 },
      );
    }
    return runDir;
  }

  /** The variables a run directory was made with; empty when unreadable. */
  async readVariables(runDir: string): Promise<Record<string, unknown>> {
    try {
      return JSON.parse(await fs.readFile(path.join(runDir, VARS_FILE), 'utf8'));
    } catch {
      return {};
    }
  }

  /** Removes a run directory and everything in it. */
  async remove(runDir: string): Promise<void> {
    await fs.rm(runDir, { recursive: true, force: true });
  }
}
