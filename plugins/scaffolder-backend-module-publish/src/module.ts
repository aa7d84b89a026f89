import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { repositoryPublisherServiceRef } from '@paved/plugin-publish-node';
import { createPavedPublishAction } from './actions/publish';

/**
 * The scaffolder module with `paved:publish`. It knows no target itself:
 * it receives every RepositoryPublisher the backend provides
 * (`repositoryPublisherServiceRef`) and each run picks the one that serves
 * the repoUrl's host.
 *
 * @public
 */
export const scaffolderModulePavedPublish = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-publish',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        publishers: repositoryPublisherServiceRef,
        ownership: ownershipServiceRef,
        auditor: coreServices.auditor,
      },
      async init({ scaffolder, config, publishers, ownership, auditor }) {
        scaffolder.addActions(
          createPavedPublishAction({ config, publishers, ownership, auditor }),
        );
      },
    });
  },
});
