import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { localForgeRepositoryPublisherServiceFactory } from '@paved/plugin-forge-node';
import { gitHubRepositoryPublisherServiceFactory } from '@paved/plugin-github-node';
import scaffolderModulePavedPublish from '@paved/plugin-scaffolder-backend-module-publish';

/**
 * `paved:publish` and the targets it publishes to: GitHub for every host
 * `integrations.github` has credentials for, the local forge for the rest.
 * One list, so the backend and the tests that boot parts of it agree.
 */
export const publishingFeatureLoader = createBackendFeatureLoader({
  *loader() {
    yield scaffolderModulePavedPublish;
    yield gitHubRepositoryPublisherServiceFactory;
    yield localForgeRepositoryPublisherServiceFactory;
  },
});
