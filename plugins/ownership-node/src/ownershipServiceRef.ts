import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DefaultOwnershipService } from './DefaultOwnershipService';
import { OwnershipService } from './OwnershipService';

function ownershipFactory(
  service: ServiceRef<OwnershipService, 'plugin', 'singleton'>,
): ServiceFactory<OwnershipService, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      config: coreServices.rootConfig,
      catalog: catalogServiceRef,
      auth: coreServices.auth,
      permissions: coreServices.permissions,
    },
    factory: ({ config, catalog, auth, permissions }) =>
      DefaultOwnershipService.fromConfig(config, {
        catalog,
        auth,
        permissions,
      }),
  });
}

/**
 * Who may change what: every Paved action and endpoint that changes a
 * target asks this service first. Its default factory is
 * {@link ownershipServiceFactory}.
 *
 * @public
 */
export const ownershipServiceRef = createServiceRef<OwnershipService>({
  id: 'paved.ownership',
  scope: 'plugin',
  defaultFactory: async service => ownershipFactory(service),
});

/**
 * The default {@link OwnershipService}: the catalogue's organisation and
 * `paved.permissions`.
 *
 * @public
 */
export const ownershipServiceFactory = ownershipFactory(ownershipServiceRef);
