import { createServiceRef } from '@backstage/backend-plugin-api';
import { RepositoryPublisher } from './RepositoryPublisher';

/**
 * Every {@link RepositoryPublisher} of a plugin: a multiton, so each
 * target is a service factory of its own package
 * (`gitHubRepositoryPublisherServiceFactory`,
 * `localForgeRepositoryPublisherServiceFactory`), added with `backend.add`,
 * and `paved:publish` receives them all and picks by the repoUrl's host.
 * A new target is a new factory for this ref; nothing else changes.
 *
 * @public
 */
export const repositoryPublisherServiceRef =
  createServiceRef<RepositoryPublisher>({
    id: 'paved.publish.repositoryPublisher',
    scope: 'plugin',
    multiton: true,
  });
