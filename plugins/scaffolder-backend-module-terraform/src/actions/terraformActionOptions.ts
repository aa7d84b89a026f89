import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { ApprovalsService } from '@paved/plugin-approvals-node';
import { OwnershipService } from '@paved/plugin-ownership-node';
import { TerraformRunner } from '@paved/plugin-terraform-node';

/**
 * What the paved:terraform:* actions take: the runner, the ownership
 * checks made against each workspace's recorded owner, the approvals a
 * plan needs before apply, and the auditor every side effect is reported to.
 *
 * @public
 */
export interface TerraformActionOptions {
  runner: TerraformRunner;
  ownership: OwnershipService;
  approvals: ApprovalsService;
  auditor: AuditorService;
}

/** Who runs the task: their credentials for the checks, their ref for the audit trail. */
export interface TaskCaller {
  credentials: BackstageCredentials;
  actor: string | undefined;
  taskId: string;
}

/** The caller of a task's step. */
export async function taskCaller(
  ctx: Pick<
    ActionContext<any, any>,
    'getInitiatorCredentials' | 'user' | 'task'
  >,
): Promise<TaskCaller> {
  return {
    credentials: await ctx.getInitiatorCredentials(),
    actor: ctx.user?.ref,
    taskId: ctx.task.id,
  };
}

/** How a workspace is named in messages and the audit trail. */
export function workspaceTarget(workspace: string): string {
  return `terraform workspace ${workspace}`;
}
