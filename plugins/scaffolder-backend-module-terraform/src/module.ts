import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { approvalsServiceRef } from '@paved/plugin-approvals-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { terraformRunnerServiceRef } from '@paved/plugin-terraform-node';
import {
  createTerraformApplyAction,
  createTerraformDestroyAction,
  createTerraformOutputAction,
  createTerraformPlanAction,
  createTerraformReviewAction,
} from './actions';

/**
 * The scaffolder actions of the Terraform driver: paved:terraform:plan,
 * paved:terraform:review, paved:terraform:apply, paved:terraform:destroy and
 * paved:terraform:output, on the TerraformRunner of terraformRunnerServiceRef,
 * each checking the task's user against the workspace's recorded owner
 * (ownershipServiceRef) and reporting its side effects to the auditor.
 *
 * @public
 */
export const scaffolderModulePavedTerraform = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-terraform',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        runner: terraformRunnerServiceRef,
        approvals: approvalsServiceRef,
        ownership: ownershipServiceRef,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, runner, approvals, ownership, auditor }) {
        const options = { runner, ownership, approvals, auditor };
        scaffolder.addActions(
          createTerraformPlanAction(options),
          createTerraformReviewAction({ runner, approvals }),
          createTerraformApplyAction(options),
          createTerraformDestroyAction(options),
          createTerraformOutputAction(options),
        );
      },
    });
  },
});
