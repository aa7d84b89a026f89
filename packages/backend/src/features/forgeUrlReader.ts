import { createServiceFactory } from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { ForgeUrlReader, localForgeServiceRef } from '@paved/plugin-forge-node';

/**
 * Every plugin's UrlReader reads the local forge's URLs (the catalogue's
 * locations for published components, fetch actions, TechDocs) straight from
 * the repositories on disk. Added here because only the backend package may
 * depend on @backstage/backend-defaults.
 */
export const forgeUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: { forge: localForgeServiceRef },
  factory: ({ forge }) => ForgeUrlReader.factory(forge),
});
