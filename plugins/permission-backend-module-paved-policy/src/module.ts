import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';
import { Teammates } from './Teammates';

/**
 * Sets {@link PavedPermissionPolicy} as the permission backend's policy,
 * in place of allow-all.
 *
 * @public
 */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        ownership: ownershipServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({ policy, ownership, catalog, auth }) {
        policy.setPolicy(
          PavedPermissionPolicy.create({
            ownership,
            teammates: Teammates.create({ catalog, auth, ownership }),
          }),
        );
      },
    });
  },
});
