import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { ownershipServiceRef } from '@paved/plugin-ownership-node';
import { repositoryPublisherServiceRef } from '@paved/plugin-publish-node';
import { createFormCheckAction } from './actions/formCheck';
import { createProvenanceRecordAction } from './actions/provenanceRecord';

/**
 * The scaffolder module with the steps every golden-path template shares:
 * `paved:form:check` (its first step) and `paved:provenance:record`.
 *
 * @public
 */
export const scaffolderModulePavedTemplates = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved-templates',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        ownership: ownershipServiceRef,
        publishers: repositoryPublisherServiceRef,
      },
      async init({ scaffolder, config, auth, catalog, ownership, publishers }) {
        scaffolder.addActions(
          createFormCheckAction({
            config,
            auth,
            catalog,
            ownership,
            publishers,
          }),
          createProvenanceRecordAction({ auth, catalog }),
        );
      },
    });
  },
});
