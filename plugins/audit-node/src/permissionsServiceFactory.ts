import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { AuditedPermissionsService } from './AuditedPermissionsService';

/**
 * Backstage's permissions service for every plugin, as upstream's default
 * (a `ServerPermissionClient` asking the permission backend), with every
 * DENY reported to the plugin's auditor as a failed `permission-denied`
 * event, so that denials are in the audit trail.
 *
 * @public
 */
export const permissionsServiceFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {
    auth: coreServices.auth,
    config: coreServices.rootConfig,
    discovery: coreServices.discovery,
    auditor: coreServices.auditor,
  },
  factory: ({ auth, config, discovery, auditor }) =>
    AuditedPermissionsService.create({
      permissions: ServerPermissionClient.fromConfig(config, {
        auth,
        discovery,
      }),
      auditor,
      auth,
    }),
});
