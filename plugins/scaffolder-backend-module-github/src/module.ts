import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { gitHubRepoServiceRef } from '@paved/plugin-github-node';
import { localForgeServiceRef } from '@paved/plugin-forge-node';
import {
  createGitHubBranchProtectAction,
  createGitHubCodeOwnersCreateAction,
  createGitHubEnvironmentsCreateAction,
  createGitHubPullRequestOpenAction,
  createGitHubRepoArchiveAction,
  createGitHubRepoDeleteAction,
  createGitHubSecretsSetAction,
  createGitHubTeamGrantAction,
  createGitHubVariablesSetAction,
} from './actions';
import { createPavedPublishAction } from './actions/publish';

/**
 * The scaffolder module with Paved's GitHub actions: the hardening steps
 * (`paved:github:*`) and `paved:publish`.
 *
 * @public
 */
export const scaffolderModulePavedGitHub = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-github',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        service: gitHubRepoServiceRef,
        forge: localForgeServiceRef,
      },
      async init({ scaffolder, config, service, forge }) {
        const deps = { service, config };
        scaffolder.addActions(
          createGitHubCodeOwnersCreateAction(deps),
          createGitHubBranchProtectAction(deps),
          createGitHubTeamGrantAction(deps),
          createGitHubEnvironmentsCreateAction(deps),
          createGitHubSecretsSetAction(deps),
          createGitHubVariablesSetAction(deps),
          createGitHubPullRequestOpenAction(deps),
          createGitHubRepoArchiveAction(deps),
          createGitHubRepoDeleteAction(deps),
          createPavedPublishAction({ ...deps, forge }),
        );
      },
    });
  },
});
