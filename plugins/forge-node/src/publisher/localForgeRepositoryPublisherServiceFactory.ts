import { createServiceFactory } from '@backstage/backend-plugin-api';
import { repositoryPublisherServiceRef } from '@paved/plugin-publish-node';
import { localForgeServiceRef } from '../localForgeServiceRef';
import { LocalForgeRepositoryPublisher } from './LocalForgeRepositoryPublisher';

/**
 * Provides the local forge to `paved:publish` as the fallback publisher
 * (see `repositoryPublisherServiceRef`):
 * `backend.add(localForgeRepositoryPublisherServiceFactory)`.
 *
 * @public
 */
export const localForgeRepositoryPublisherServiceFactory = createServiceFactory(
  {
    service: repositoryPublisherServiceRef,
    deps: { forge: localForgeServiceRef },
    factory: ({ forge }) => LocalForgeRepositoryPublisher.create({ forge }),
  },
);
