import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { gitHubWriteBudgetServiceRef } from './budget/gitHubWriteBudgetServiceRef';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import { GitHubRepoService } from './GitHubRepoService';

function repoServiceFactory(
  service: ServiceRef<GitHubRepoService, 'plugin', 'singleton'>,
): ServiceFactory<GitHubRepoService, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.logger,
      writeBudget: gitHubWriteBudgetServiceRef,
    },
    factory({ config, logger, writeBudget }) {
      return DefaultGitHubRepoService.create({
        config,
        logger: logger.child({ service: 'github-repo' }),
        writeBudget,
      });
    },
  });
}

/**
 * The GitHub repository service of a plugin (the scaffolder's actions use
 * it). Its writes take turns in the write budget the replicas share
 * ({@link gitHubWriteBudgetServiceRef}). Its default factory is
 * {@link gitHubRepoServiceFactory}; replace it with `backend.add(...)` of
 * another factory for this ref.
 *
 * @public
 */
export const gitHubRepoServiceRef = createServiceRef<GitHubRepoService>({
  id: 'paved.github.repo',
  scope: 'plugin',
  defaultFactory: async service => repoServiceFactory(service),
});

/**
 * Builds a {@link DefaultGitHubRepoService} from app-config.
 *
 * @public
 */
export const gitHubRepoServiceFactory =
  repoServiceFactory(gitHubRepoServiceRef);
