import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { localForgeServiceRef } from '@paved/plugin-forge-node';
import { ForgeSourceLocationProcessor } from './ForgeSourceLocationProcessor';

/**
 * Adds {@link ForgeSourceLocationProcessor} to the catalogue.
 *
 * @public
 */
export const catalogModulePavedForge = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-forge',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        forge: localForgeServiceRef,
      },
      async init({ catalog, forge }) {
        catalog.addProcessor(
          new ForgeSourceLocationProcessor({ urls: forge.urls }),
        );
      },
    });
  },
});
