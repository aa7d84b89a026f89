import { ConflictError, CustomErrorBase } from '@backstage/errors';
import type { TerraformCommandResult } from './cli/runTerraformCommand';
import type { TerraformProgress } from './cli/TerraformProgress';
import { formatDuration, listUpTo } from './format';
import { SecretRedactor } from './SecretRedactor';

/**
 * A state lock as Terraform reports it in "Error acquiring the state lock".
 *
 * @public
 */
export interface TerraformStateLock {
  /** The backend's own message, e.g. "Workspace is already locked: default". */
  error: string;
  id?: string;
  path?: string;
  operation?: string;
  who?: string;
  version?: string;
  created?: string;
}

/**
 * Why a terraform run did not succeed.
 *
 * @public
 */
export type TerraformRunErrorReason = 'failed' | 'crashed' | 'cancelled';

/**
 * A terraform run that failed, crashed or was cancelled. The message says
 * what happened to the state (which resources were applied, whether the
 * state lock is still held) and is free of secrets.
 *
 * @public
 */
export class TerraformRunError extends CustomErrorBase {
  name = 'TerraformRunError' as const;
  readonly reason: TerraformRunErrorReason;
  /** Error diagnostics terraform reported, "summary: detail". */
  readonly diagnostics: string[];
  /** Resources applied before the run stopped. */
  readonly appliedResources: string[];
  /** Planned changes not applied. */
  readonly pendingResources: string[];
  /** Addresses of the resources the state holds now. */
  readonly stateResources?: string[];
  /** The state lock left held, if any. */
  readonly stateLock?: TerraformStateLock;

  constructor(
    message: string,
    details: {
      reason: TerraformRunErrorReason;
      diagnostics?: string[];
      appliedResources?: string[];
      pendingResources?: string[];
      stateResources?: string[];
      stateLock?: TerraformStateLock;
    },
  ) {
    super(message);
    this.reason = details.reason;
    this.diagnostics = details.diagnostics ?? [];
    this.appliedResources = details.appliedResources ?? [];
    this.pendingResources = details.pendingResources ?? [];
    this.stateResources = details.stateResources;
    this.stateLock = details.stateLock;
  }
}

/**
 * Reads the lock out of the detail of Terraform's "Error acquiring the
 * state lock" diagnostic.
 *
 * @public
 */
export function parseStateLockDetail(
  detail: string,
): TerraformStateLock | undefined {
  const error = /Error message:\s*([^\n]*)/.exec(detail)?.[1];
  if (error === undefined) return undefined;
  const field = (name: string) => {
    const value = new RegExp(`^\\s*${name}:[ \\t]*(.*)$`, 'm')
      .exec(detail)?.[1]
      ?.trim();
    return value ? value : undefined;
  };
  const lock: TerraformStateLock = { error: error.trim() };
  const id = field('ID');
  if (id) lock.id = id;
  const lockPath = field('Path');
  if (lockPath) lock.path = lockPath;
  const operation = field('Operation');
  if (operation) lock.operation = operation;
  const who = field('Who');
  if (who) lock.who = who;
  const version = field('Version');
  if (version) lock.version = version;
  const created = field('Created');
  if (created) lock.created = created;
  return lock;
}

/**
 * One line naming a held state lock.
 *
 * @public
 */
export function describeStateLock(lock: TerraformStateLock): string {
  const parts = [
    lock.who && `held by ${lock.who}`,
    lock.operation && `for ${lock.operation}`,
    lock.created && `since ${lock.created}`,
    lock.id && `lock ID ${lock.id}`,
    lock.path && `path ${lock.path}`,
  ].filter(Boolean);
  return `${lock.error}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Changes of a plan, as the errors list them. */
type Changes = { resources: Array<{ address: string; action: string }> };

/** terraform's error text from plain output: its "Error:" blocks, or the last lines. */
export function errorText(result: TerraformCommandResult): string {
  const text = `${result.stderr}\n${result.text}`;
  const errors = [
    ...text.matchAll(/Error: ([^\n]+)(?:\n\n([^\n][\s\S]*?)(?:\n\n|$))?/g),
  ]
    .map(m => (m[2] ? `${m[1]}: ${m[2].trim()}` : m[1]))
    .filter(Boolean);
  if (errors.length) return errors.join('; ');
  return text.trim().split('\n').slice(-5).join(' ').trim();
}

function crashed(result: TerraformCommandResult) {
  return (
    result.exitCode === 11 || /TERRAFORM CRASH|^panic:/m.test(result.stderr)
  );
}

/** The "Error acquiring the state lock" diagnostic of a run, if any. */
export function stateLockDiagnostic(progress: TerraformProgress) {
  return progress.diagnostics.find(
    d =>
      d.severity === 'error' && d.summary === 'Error acquiring the state lock',
  );
}

/** A state lock held by someone else, named. */
export function stateLockedError(
  workspace: string,
  detail: string,
): ConflictError {
  const lock = parseStateLockDetail(detail) ?? { error: detail };
  const pg = /locked( for workspace creation)?: /.test(lock.error);
  return new ConflictError(
    pg
      ? `The Terraform state of workspace ${workspace} is locked by another PostgreSQL session (${lock.error}); another terraform run is using it`
      : `The Terraform state of workspace ${workspace} is locked by another run: ${describeStateLock(
          lock,
        )}`,
  );
}

/** A plan, destroy or other command that failed without applying part of a plan. */
export function commandFailure(
  operation: string,
  workspace: string,
  result: TerraformCommandResult,
  progress: TerraformProgress,
  redactor: SecretRedactor,
): Error {
  const lock = stateLockDiagnostic(progress);
  if (lock) return stateLockedError(workspace, lock.detail);
  const init = progress.diagnostics.find(
    d =>
      d.severity === 'error' &&
      /Backend initialization required/.test(d.summary),
  );
  const diagnostics = progress.errors();
  const detail = diagnostics.length
    ? diagnostics.join('; ')
    : errorText(result) || `exit code ${result.exitCode}`;
  return new TerraformRunError(
    redactor.redact(
      `terraform ${operation} ${
        crashed(result) ? 'crashed' : 'failed'
      } in workspace ${workspace}: ${init ? `${init.summary}` : detail}`,
    ),
    {
      reason: crashed(result) ? 'crashed' : 'failed',
      diagnostics,
      appliedResources: [...progress.applied.keys()],
    },
  );
}

/**
 * An apply that failed or crashed part way: what was applied, what was
 * not, what the state holds now, and that a retry resumes.
 */
export function partialApplyError(options: {
  planId: string;
  workspace: string;
  result: TerraformCommandResult;
  progress: TerraformProgress;
  changes: Changes;
  /** Addresses in the state now, or undefined when it could not be read. */
  state: string[] | undefined;
  redactor: SecretRedactor;
}): TerraformRunError {
  const { result, progress, changes, state } = options;
  const applied = [...progress.applied.entries()].map(
    ([address, action]) => `${address} (${action})`,
  );
  const pending = changes.resources.filter(
    r => !progress.applied.has(r.address),
  );
  const diagnostics = progress.errors();
  const what = crashed(result)
    ? `crashed (exit code ${result.exitCode})`
    : `failed (exit code ${result.exitCode})${
        diagnostics.length ? `: ${diagnostics.join('; ')}` : ''
      }`;
  const message = options.redactor.redact(
    `terraform apply of plan ${options.planId} in workspace ${
      options.workspace
    } ${what} after applying ${applied.length} of ${
      changes.resources.length
    } change(s). Applied: ${listUpTo(applied) || 'none'}. Not applied: ${
      listUpTo(pending.map(r => `${r.address} (${r.action})`)) || 'none'
    }. ${
      state
        ? `The state now holds ${state.length} resource(s)${
            state.length ? `: ${listUpTo(state)}` : ''
          }. `
        : 'The state could not be read. '
    }Retry to resume: what is left of the reviewed plan is planned and applied.`,
  );
  return new TerraformRunError(message, {
    reason: crashed(result) ? 'crashed' : 'failed',
    diagnostics,
    appliedResources: [...progress.applied.keys()],
    pendingResources: pending.map(r => r.address),
    stateResources: state,
  });
}

/**
 * The error of a cancelled run, saying how terraform stopped and whether
 * the state lock was released or which lock is still held.
 */
export function cancelledError(options: {
  operation: string;
  workspace: string;
  result: TerraformCommandResult;
  gracePeriodMs: number;
  lock: TerraformStateLock | 'released' | 'unknown';
  redactor: SecretRedactor;
  changes?: Changes;
  progress?: TerraformProgress;
}): TerraformRunError {
  const { operation, lock, progress, changes } = options;
  const how = options.result.killed
    ? `it did not stop within ${formatDuration(
        options.gracePeriodMs,
      )} of SIGINT and was killed (SIGKILL)`
    : `it stopped after SIGINT`;
  let lockText: string;
  if (lock === 'released') lockText = 'the state lock is released';
  else if (lock === 'unknown')
    lockText = 'whether the state lock is held could not be checked';
  else
    lockText = `the state lock is still held: ${describeStateLock(lock)}${
      lock.id
        ? `; once no terraform run uses the workspace, release it with "terraform force-unlock ${lock.id}"`
        : ''
    }`;
  const applied = [...(progress?.applied.entries() ?? [])].map(
    ([address, action]) => `${address} (${action})`,
  );
  const pending = changes
    ? changes.resources
        .filter(r => !progress?.applied.has(r.address))
        .map(r => r.address)
    : [];
  const appliedText =
    operation === 'apply' || operation === 'destroy'
      ? ` Applied before it stopped: ${listUpTo(applied) || 'none'}.${
          operation === 'apply' ? ' Retry to resume.' : ''
        }`
      : '';
  return new TerraformRunError(
    options.redactor.redact(
      `terraform ${operation} in workspace ${options.workspace} was cancelled: ${how}; ${lockText}.${appliedText}`,
    ),
    {
      reason: 'cancelled',
      appliedResources: [...(progress?.applied.keys() ?? [])],
      pendingResources: pending,
      ...(typeof lock === 'object' ? { stateLock: lock } : {}),
    },
  );
}

/** terraform's JSON output, or an error saying it was not JSON (never its content). */
export function parseJsonOutput(what: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TerraformRunError(
      `terraform ${what} printed ${text.length} characters that are not JSON (${
        (error as Error).message
      }); is paved.terraform.binary terraform or tofu?`,
      { reason: 'failed' },
    );
  }
}
