import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  ServiceFactory,
  ServiceRef,
} from '@backstage/backend-plugin-api';
import { ApprovalsService } from './ApprovalsService';
import { DefaultApprovalsService } from './DefaultApprovalsService';

function approvalsFactory(
  service: ServiceRef<ApprovalsService, 'plugin', 'singleton'>,
): ServiceFactory<ApprovalsService, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { discovery: coreServices.discovery, auth: coreServices.auth },
    factory: ({ discovery, auth }) =>
      DefaultApprovalsService.create({ discovery, auth }),
  });
}

/**
 * Asking for approvals: the approvals backend over HTTP by default
 * ({@link approvalsServiceFactory}).
 *
 * @public
 */
export const approvalsServiceRef = createServiceRef<ApprovalsService>({
  id: 'paved.approvals',
  scope: 'plugin',
  defaultFactory: async service => approvalsFactory(service),
});

/**
 * The default {@link ApprovalsService}: the approvals backend over HTTP.
 *
 * @public
 */
export const approvalsServiceFactory = approvalsFactory(approvalsServiceRef);
