import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { repositoryPublisherServiceRef } from '@paved/plugin-publish-node';
import { gitHubRepoServiceRef } from '../gitHubRepoServiceRef';
import { GitHubRepositoryPublisher } from './GitHubRepositoryPublisher';

/**
 * Provides GitHub to `paved:publish` (see `repositoryPublisherServiceRef`):
 * `backend.add(gitHubRepositoryPublisherServiceFactory)`.
 *
 * @public
 */
export const gitHubRepositoryPublisherServiceFactory = createServiceFactory({
  service: repositoryPublisherServiceRef,
  deps: { service: gitHubRepoServiceRef, config: coreServices.rootConfig },
  factory: ({ service, config }) =>
    GitHubRepositoryPublisher.create({ service, config }),
});
