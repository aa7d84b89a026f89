import { ConflictError } from '@backstage/errors';
import { TerraformCommandResult } from './cli/runTerraformCommand';
import { SecretRedactor } from './SecretRedactor';
import { TerraformProgress } from './cli/TerraformProgress';
import {
  describeStateLock,
  parseStateLockDetail,
  TerraformRunError,
  TerraformStateLock,
} from './TerraformRunError';

/** Changes of a plan, as the errors list them. */
type Changes = { resources: Array<{ address: string; action: string }> };

/**
 * Items joined with ", ", the first `max` of them and then how many more:
 * an error or log line about a plan of thousands of resources stays short.
 */
export function listUpTo(items: string[], max = 20): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${(
    items.length - max
  ).toLocaleString('en-US')} more`;
}

/** A duration as people read it: "300 ms", "30 s", "5 min", "2 h". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms % 3_600_000 === 0 || ms >= 7_200_000)
    return `${Math.round(ms / 3_600_000)} h`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

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
