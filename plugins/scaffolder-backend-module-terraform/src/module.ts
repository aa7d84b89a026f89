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
 * The scaffolder actions of the Terraform driver: terraform:plan,
 * terraform:review, terraform:apply, terraform:destroy and terraform:output.
 *
 * @public
 */
export const terraformModule = createBackendModule({
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
