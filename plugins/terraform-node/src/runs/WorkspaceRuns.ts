import { InputError } from '@backstage/errors';
import crypto from 'node:crypto';
import { DatabaseWorkspaceLock, WorkspaceLease } from './DatabaseWorkspaceLock';
import { RunDirectories } from './RunDirectories';

const WORKSPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The workspace of a request, checked: it names a directory and a state,
 * so only lowercase letters, digits and dashes.
 */
export function checkWorkspace(workspace: unknown): string {
  if (typeof workspace !== 'string' || !WORKSPACE.test(workspace)) {
    throw new InputError(
      `workspace: expected 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit, got ${JSON.stringify(
        workspace,
      )}`,
    );
  }
  return workspace;
}

/**
 * One run of a command in a workspace: its id, the workspace's lease (for
 * commands that change or plan the state) and its run directory. `end`
 * removes the directory unless it is kept, then gives the workspace back.
 */
export class WorkspaceRun {
  readonly runId: string;
  readonly workspace: string;
  /** The caller's signal and the lease's: a run stops when its lease is lost. */
  readonly signal: AbortSignal | undefined;
  readonly #lease: WorkspaceLease | undefined;
  readonly #runDirs: RunDirectories;
  #runDir: string | undefined;
  #keep = false;

  constructor(options: {
    runId: string;
    workspace: string;
    lease?: WorkspaceLease;
    signal?: AbortSignal;
    runDirs: RunDirectories;
  }) {
    this.runId = options.runId;
    this.workspace = options.workspace;
    this.#lease = options.lease;
    this.#runDirs = options.runDirs;
    const lost = options.lease?.lost;
    if (!lost) this.signal = options.signal;
    else
      this.signal = options.signal
        ? AbortSignal.any([options.signal, lost])
        : lost;
  }

  /** The run directory; only after `prepare` or `useSaved`. */
  get runDir(): string {
    if (!this.#runDir) throw new Error(`run ${this.runId} has no directory`);
    return this.#runDir;
  }

  /**
   * A fresh run directory: the module's files (none for commands that need
   * only the backend), the backend and the variables. It goes at `end`
   * unless kept.
   */
  async prepare(
    content: {
      moduleFiles?: string[];
      variables?: Record<string, unknown>;
    } = {},
  ): Promise<string> {
    this.#runDir = await this.#runDirs.prepare({
      workspace: this.workspace,
      runId: this.runId,
      ...content,
    });
    return this.#runDir;
  }

  /** A saved plan's run directory (stored relative): it outlives the run. */
  useSaved(relativeRunDir: string): string {
    this.#runDir = this.#runDirs.resolve(relativeRunDir);
    this.#keep = true;
    return this.#runDir;
  }

  /** Keeps the run directory after the run: it holds a saved plan. */
  keep(): void {
    this.#keep = true;
  }

  /** Removes the run directory now: its plan is done with. */
  async removeDirectory(): Promise<void> {
    if (this.#runDir) await this.#runDirs.remove(this.#runDir);
    this.#runDir = undefined;
  }

  /** Removes the run directory unless kept, and gives the workspace back. */
  async end(): Promise<void> {
    try {
      if (!this.#keep) await this.removeDirectory();
    } finally {
      await this.#lease?.release();
    }
  }
}

/**
 * How every command gets its run: a run id, the workspace's lease across
 * replicas when the command needs the workspace to itself, and a run
 * directory under `<workDir>/<workspace>/runs/<runId>`.
 */
export class WorkspaceRuns {
  readonly #locks: DatabaseWorkspaceLock;
  readonly #runDirs: RunDirectories;

  constructor(options: {
    locks: DatabaseWorkspaceLock;
    runDirs: RunDirectories;
  }) {
    this.#locks = options.locks;
    this.#runDirs = options.runDirs;
  }

  /** Where run directories are, for what reads them directly. */
  get directories(): RunDirectories {
    return this.#runDirs;
  }

  /**
   * Starts a run: with `operation`, once the workspace's lease is taken (a
   * ConflictError naming the holder when another run has it); without, at
   * once, for commands that only read.
   */
  async begin(request: {
    workspace: string;
    operation?: string;
    signal?: AbortSignal;
  }): Promise<WorkspaceRun> {
    const { workspace, operation } = request;
    const runId = crypto.randomUUID();
    const lease = operation
      ? await this.#locks.acquire({ workspace, runId, operation })
      : undefined;
    return new WorkspaceRun({
      runId,
      workspace,
      lease,
      signal: request.signal,
      runDirs: this.#runDirs,
    });
  }
}
