import { CustomErrorBase } from '@backstage/errors';

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
