import { InputError, NotAllowedError } from '@backstage/errors';
import { auditChange } from '@paved/plugin-ownership-node';
import {
  TaskCaller,
  TerraformActionOptions,
  workspaceTarget,
} from './terraformActionOptions';

/** What a step does to a workspace, for the check and its message. */
export interface WorkspaceUse {
  workspace: string;
  /** `plan`, `apply a plan of`, `destroy`, `read the outputs of`. */
  action: string;
  destructive?: boolean;
}

/**
 * Checks the caller against the owner recorded for the workspace at its
 * first plan (never a form's owner); returns that owner. A workspace with
 * no recorded owner is refused: only its first plan records one.
 */
export async function assertMayUseWorkspace(
  options: Pick<TerraformActionOptions, 'runner' | 'ownership'>,
  caller: TaskCaller,
  use: WorkspaceUse,
): Promise<string> {
  const recorded = await options.runner.getWorkspaceOwner(use.workspace);
  if (!recorded) {
    throw new NotAllowedError(
      `may not ${use.action} ${workspaceTarget(
        use.workspace,
      )}: it has no recorded owner; the first paved:terraform:plan of a workspace records the group that owns it`,
    );
  }
  await options.ownership.assertMayChange({
    credentials: caller.credentials,
    ownerRef: recorded.ownerRef,
    target: workspaceTarget(use.workspace),
    action: use.action,
    destructive: use.destructive,
  });
  return recorded.ownerRef;
}

/**
 * The owner a plan is checked against: the recorded one, or for a new
 * workspace the form's `owner` (an existing group the caller may change
 * things of), which is then recorded, audited, as the workspace's owner.
 * The first record wins: a concurrent first plan by another group is
 * checked against the owner that was recorded.
 */
export async function claimWorkspace(
  options: TerraformActionOptions,
  caller: TaskCaller,
  request: { workspace: string; owner?: string },
): Promise<string> {
  const { runner, auditor } = options;
  const use = { workspace: request.workspace, action: 'plan' };
  const recorded = await runner.getWorkspaceOwner(request.workspace);
  if (recorded) return assertMayUseWorkspace(options, caller, use);
  const ownerRef = await newWorkspaceOwner(options, caller, request);
  const claimed = await auditChange(
    auditor,
    {
      eventId: 'terraform-workspace-owner',
      actor: caller.actor,
      target: workspaceTarget(request.workspace),
      taskId: caller.taskId,
      details: { ownerRef },
    },
    () =>
      runner.recordWorkspaceOwner({
        workspace: request.workspace,
        ownerRef,
        recordedBy: caller.actor,
        taskId: caller.taskId,
      }),
  );
  if (claimed.ownerRef === ownerRef) return ownerRef;
  return assertMayUseWorkspace(options, caller, use);
}

/**
 * The form's owner of a workspace with no recorded owner, checked. One
 * planned before owners were recorded is not new: only an admin names its
 * owner, so that no team claims another's workspace.
 */
export async function newWorkspaceOwner(
  options: Pick<TerraformActionOptions, 'ownership' | 'runner'>,
  caller: TaskCaller,
  request: { workspace: string; owner?: string },
): Promise<string> {
  if (await options.runner.isWorkspaceKnown(request.workspace)) {
    const who = await options.ownership.caller(caller.credentials);
    if (!who.isAdmin) {
      throw new NotAllowedError(
        `${caller.actor ?? 'the caller'} may not plan ${workspaceTarget(
          request.workspace,
        )}: it was planned before owners were recorded, so it has none; an admin plans it first, naming its owner`,
      );
    }
  }
  if (!request.owner) {
    throw new InputError(
      `owner: required for the first plan of ${workspaceTarget(
        request.workspace,
      )}, to record the group that owns it (group:default/<name>)`,
    );
  }
  const ownerRef = await options.ownership.resolveOwnerGroup(
    request.owner,
    'owner',
  );
  await options.ownership.assertMayChange({
    credentials: caller.credentials,
    ownerRef,
    target: workspaceTarget(request.workspace),
    action: 'plan',
  });
  return ownerRef;
}

/**
 * A dry run's owner check, made without recording anything: whom the
 * workspace belongs to (or would), and the refusal a real run would meet.
 */
export async function dryRunOwnerCheck(
  options: TerraformActionOptions,
  caller: TaskCaller,
  use: WorkspaceUse & { owner?: string },
): Promise<{ ownerRef: string; recorded: boolean }> {
  const recorded = await options.runner.getWorkspaceOwner(use.workspace);
  if (recorded) {
    await assertMayUseWorkspace(options, caller, use);
    return { ownerRef: recorded.ownerRef, recorded: true };
  }
  if (use.action !== 'plan') {
    return {
      ownerRef: await assertMayUseWorkspace(options, caller, use),
      recorded: true,
    };
  }
  return {
    ownerRef: await newWorkspaceOwner(options, caller, use),
    recorded: false,
  };
}
