import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/** Which of upstream's GitHub catalogue modules the configuration asks for. */
export function githubDiscoveryModules(config: Config): {
  repositories: boolean;
  organization: boolean;
} {
  const providers = config.getOptionalConfig('catalog.providers.github');
  // An unset ${GITHUB_ORG:-} substitutes to '', which reads as "not named".
  const named = (value: unknown) => value !== undefined && value !== '';
  const repositories = (providers?.keys() ?? []).some(
    id =>
      named(providers!.getOptional(`${id}.organization`)) ||
      named(providers!.getOptional(`${id}.app`)),
  );
  const orgConfig = config.getOptional('catalog.providers.githubOrg');
  const orgs = config.has('catalog.providers.githubOrg')
    ? (Array.isArray(orgConfig)
        ? config.getConfigArray('catalog.providers.githubOrg')
        : [config.getConfig('catalog.providers.githubOrg')]
      ).flatMap(c => (c.getOptional<unknown[]>('orgs') ?? []) as unknown[])
    : [];
  return { repositories, organization: orgs.some(named) };
}

/**
 * Upstream's GitHub discovery (repositories' catalog-info.yaml files, and the
 * organisation's teams and members), loaded only when the configuration names
 * an organisation: the production config reads it from GITHUB_ORG, and a
 * portal without one should neither fail at start nor pay for the modules.
 */
export const githubDiscoveryFeatureLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
  *loader({ config, logger }) {
    const wanted = githubDiscoveryModules(config);
    if (wanted.repositories) {
      yield import('@backstage/plugin-catalog-backend-module-github');
    }
    if (wanted.organization) {
      yield import('@backstage/plugin-catalog-backend-module-github-org');
    }
    if (
      config.has('catalog.providers.github') &&
      !wanted.repositories &&
      !wanted.organization
    ) {
      logger.info(
        'GitHub discovery is configured without an organisation (GITHUB_ORG is empty); it stays off',
      );
    }
  },
});
