import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
 * paved:terraform:output, on the TerraformRunner of terraformRunnerServiceRef.
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
      },
      async init({ scaffolder, runner }) {
        scaffolder.addActions(
          createTerraformPlanAction({ runner }),
          createTerraformReviewAction({ runner }),
          createTerraformApplyAction({ runner }),
          createTerraformDestroyAction({ runner }),
          createTerraformOutputAction({ runner }),
        );
      },
    });
  },
});
