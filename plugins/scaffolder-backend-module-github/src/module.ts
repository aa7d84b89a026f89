import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { gitHubRepoServiceRef } from '@paved/plugin-github-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import {
  createGitHubBranchProtectAction,
  createGitHubCodeOwnersCreateAction,
  createGitHubEnvironmentsCreateAction,
  createGitHubPagesEnableAction,
  createGitHubPullRequestOpenAction,
  createGitHubRepoArchiveAction,
  createGitHubRepoDeleteAction,
  createGitHubSecretsSetAction,
  createGitHubTeamGrantAction,
  createGitHubVariablesSetAction,
} from './actions';

/**
 * The scaffolder module with Paved's GitHub hardening actions
 * (`paved:github:*`); on a repository of the local forge they skip their
 * work. `paved:publish` is in `@paved/plugin-scaffolder-backend-module-publish`.
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
        ownership: ownershipServiceRef,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, config, service, ownership, auditor }) {
        const deps = { service, config, ownership, auditor };
        scaffolder.addActions(
          createGitHubCodeOwnersCreateAction(deps),
          createGitHubBranchProtectAction(deps),
          createGitHubTeamGrantAction(deps),
          createGitHubEnvironmentsCreateAction(deps),
          createGitHubSecretsSetAction(deps),
          createGitHubVariablesSetAction(deps),
          createGitHubPagesEnableAction(deps),
          createGitHubPullRequestOpenAction(deps),
          createGitHubRepoArchiveAction(deps),
          createGitHubRepoDeleteAction(deps),
        );
      },
    });
  },
});
