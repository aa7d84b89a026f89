import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultLocalForge } from './DefaultLocalForge';
import { LocalForge } from './LocalForge';

function localForgeFactory(
  service: ServiceRef<LocalForge, 'root', 'singleton'>,
): ServiceFactory<LocalForge, 'root', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    factory({ config, logger }) {
      return DefaultLocalForge.fromConfig(config, {
        logger: logger.child({ service: 'local-forge' }),
      });
    },
  });
}

/**
 * The local forge, shared by every plugin of the backend (root scoped: one
 * in-process writer lock per repository). Its default factory is
 * {@link localForgeServiceFactory}; replace it with `backend.add(...)` of
 * another factory for this ref.
 *
 * @public
 */
export const localForgeServiceRef = createServiceRef<LocalForge>({
  id: 'paved.forge',
  scope: 'root',
  defaultFactory: async service => localForgeFactory(service),
});

/**
 * Builds a {@link DefaultLocalForge} from `paved.forge` and `backend.baseUrl`.
 *
 * @public
 */
export const localForgeServiceFactory = localForgeFactory(localForgeServiceRef);
