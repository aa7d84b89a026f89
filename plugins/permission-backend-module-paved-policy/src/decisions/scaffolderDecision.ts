import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { isPermission } from '@backstage/plugin-permission-common';
import { ALLOW, adminsOnly } from './results';
import { AreaDecision } from './types';

/**
 * What every signed-in user may do in the scaffolder: read templates, run
 * them, and run their actions (Paved's actions check the target's owner
 * themselves, through paved.target.change and paved.target.delete).
 */
const everyone = new Set(
  [
    templateParameterReadPermission,
    templateStepReadPermission,
    taskCreatePermission,
    actionExecutePermission,
  ].map(p => p.name),
);

/** Dry runs (which may reach live systems) and template management. */
const adminOnly = new Set(
  [templateDryRunPermission, templateManagementPermission].map(p => p.name),
);

/**
 * The scaffolder: a task is read and cancelled (and so retried, which
 * needs read) by the person who started it, the members of that person's
 * own groups, and the admins. IS_TASK_OWNER over `createdBy` is the only
 * task rule the scaffolder has, so "the owners of what the task acts on"
 * is expressed as the starter's teammates (README, "Tasks").
 */
export const scaffolderDecision: AreaDecision = async (permission, user) => {
  if (everyone.has(permission.name)) return ALLOW;
  if (adminOnly.has(permission.name)) return adminsOnly(user);
  if (
    isPermission(permission, taskReadPermission) ||
    isPermission(permission, taskCancelPermission)
  ) {
    if (user.isAdmin) return ALLOW;
    return createScaffolderTaskConditionalDecision(
      permission,
      scaffolderTaskConditions.isTaskOwner({
        createdBy: await user.teammates(),
      }),
    );
  }
  return undefined;
};
