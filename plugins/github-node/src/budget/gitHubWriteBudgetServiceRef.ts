import {
  ServiceFactory,
  ServiceRef,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readGitHubRepoServiceConfig } from '../readGitHubRepoServiceConfig';
import { DatabaseWriteSlotStore } from './DatabaseWriteSlotStore';
import { GitHubWriteBudget } from './GitHubWriteBudget';

function budgetFactory(
  service: ServiceRef<GitHubWriteBudget, 'plugin', 'singleton'>,
): ServiceFactory<GitHubWriteBudget, 'plugin', 'singleton'> {
  return createServiceFactory({
    service,
    deps: { config: coreServices.rootConfig, database: coreServices.database },
    async factory({ config, database }) {
      const settings = readGitHubRepoServiceConfig(config);
      return GitHubWriteBudget.create({
        store: await DatabaseWriteSlotStore.create({ database }),
        limits: settings.writeLimits,
        intervalMs: settings.writeIntervalMs,
        maxWaitMs: settings.writeBudgetMaxWaitMs,
      });
    },
  });
}

/**
 * The write budget of GitHub credentials, shared by every replica through
 * the hosting plugin's database (the scaffolder's: its tables are
 * `paved_github__*`). Plugin scoped because it needs that database. Its
 * default factory is {@link gitHubWriteBudgetServiceFactory}; replace it
 * with `backend.add(...)` of another factory for this ref.
 *
 * @public
 */
export const gitHubWriteBudgetServiceRef = createServiceRef<GitHubWriteBudget>({
  id: 'paved.github.writeBudget',
  scope: 'plugin',
  defaultFactory: async service => budgetFactory(service),
});

/**
 * Builds a {@link GitHubWriteBudget} on the plugin's database from
 * `paved.github`.
 *
 * @public
 */
export const gitHubWriteBudgetServiceFactory = budgetFactory(
  gitHubWriteBudgetServiceRef,
);
