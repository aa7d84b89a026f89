import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  forgePermissions,
  localForgeServiceRef,
} from '@paved/plugin-forge-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { createRouter } from './service/router';

/**
 * The local forge over HTTP, at /api/forge: pages and raw files for people
 * and tools, git clone over smart HTTP (read-only), and deleting a
 * repository.
 *
 * @public
 */
export const forgePlugin = createBackendPlugin({
  pluginId: 'forge',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        forge: localForgeServiceRef,
        ownership: ownershipServiceRef,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        forge,
        ownership,
        auditor,
        auth,
      }) {
        permissionsRegistry.addPermissions(forgePermissions);
        httpRouter.use(
          createRouter({
            forge,
            httpAuth,
            permissions,
            catalog,
            logger,
            ownership,
            auditor,
            auth,
            anonymousRead:
              config.getOptionalBoolean('paved.forge.anonymousRead') ?? false,
          }),
        );
        // git and browsers send no Backstage token; each route decides (see
        // createRouter): reads follow paved.forge.anonymousRead, DELETE
        // always requires credentials and the permission.
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        // A signed-in person's browser holds the user cookie the app fetches
        // from /api/forge/.backstage/auth/v1/cookie: pages, raw files and git
        // reads accept it (a private repository's page opened from "View
        // source"); the JSON API and DELETE take tokens only.
        httpRouter.addAuthPolicy({ path: '/', allow: 'user-cookie' });
      },
    });
  },
});
