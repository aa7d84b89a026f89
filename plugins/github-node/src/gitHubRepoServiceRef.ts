import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import { GitHubRepoService } from './GitHubRepoService';

function repoServiceFactory(
  service: ServiceRef<GitHubRepoService, 'root', 'singleton'>,
): ServiceFactory<GitHubRepoService, 'root', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, logger: coreServices.rootLogger },
    factory({ config, logger }) {
      return DefaultGitHubRepoService.fromConfig(config, {
        logger: logger.child({ service: 'github-repo' }),
      });
    },
  });
}

/**
 * The GitHub repository service, shared by every plugin of the backend (root
 * scoped, so its caches of logins and team ids and its write pacing are
 * shared). Its default factory is {@link gitHubRepoServiceFactory}; replace
 * it with `backend.add(...)` of another factory for this ref.
 *
 * @public
 */
export const gitHubRepoServiceRef = createServiceRef<GitHubRepoService>({
  id: 'paved.github.repo',
  scope: 'root',
  defaultFactory: async service => repoServiceFactory(service),
});

/**
 * Builds a {@link DefaultGitHubRepoService} from app-config.
 *
 * @public
 */
export const gitHubRepoServiceFactory =
  repoServiceFactory(gitHubRepoServiceRef);
