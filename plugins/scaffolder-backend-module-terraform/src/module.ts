import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kubernetesProvisionerServiceRef } from '@paved/plugin-kubernetes-node';
import { approvalsServiceRef } from '@paved/plugin-approvals-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { terraformRunnerServiceRef } from '@paved/plugin-terraform-node';
import {
  createTerraformApplyAction,
  createTerraformConnectionDeleteAction,
  createTerraformConnectionPublishAction,
  createTerraformOutputAction,
  createTerraformPlanAction,
  createTerraformResourceRegisterAction,
  createTerraformResourceUnregisterAction,
  createTerraformReviewAction,
} from './actions';

/**
 * The scaffolder actions of the Terraform driver: paved:terraform:plan,
 * paved:terraform:review, paved:terraform:apply and paved:terraform:output
 * (a workspace is destroyed only by applying an approved plan made with
 * `destroy: true`), and the actions that connect a workspace to the
 * component it serves (paved:terraform:connection:publish and :delete, a
 * Secret in the component's namespace; paved:terraform:resource:register
 * and :unregister, its Resource entity), on the TerraformRunner of terraformRunnerServiceRef,
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
        provisioner: kubernetesProvisionerServiceRef,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { scaffolder, runner, approvals, ownership, auditor } = deps;
        const options = { runner, ownership, approvals, auditor };
        const resources = { ...options, ...deps };
        scaffolder.addActions(
          createTerraformPlanAction(options),
          createTerraformReviewAction({ runner, approvals }),
          createTerraformApplyAction(options),
          createTerraformOutputAction(options),
          createTerraformConnectionPublishAction(resources),
          createTerraformConnectionDeleteAction(resources),
          createTerraformResourceRegisterAction(resources),
          createTerraformResourceUnregisterAction(resources),
        );
      },
    });
  },
});
