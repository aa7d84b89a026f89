import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  CreateRepositoryOptions,
  CreateRepositoryResult,
  PushInitialContentOptions,
  PushInitialContentResult,
  RecordedOwnership,
} from '@paved/plugin-publish-node';
import {
  ArchiveRepositoryResult,
  DeleteRepositoryOptions,
  DeleteRepositoryResult,
  EnsureCodeOwnersOptions,
  EnsureCodeOwnersResult,
  EnsureEnvironmentsOptions,
  EnsureEnvironmentsResult,
  EnablePagesResult,
  GitHubCallOptions,
  GitHubRepoRef,
  GitHubRepoService,
  GitHubWorkflowRun,
  GrantTeamAccessOptions,
  ListWorkflowRunsOptions,
  GrantTeamAccessResult,
  OpenPullRequestOptions,
  OpenPullRequestResult,
  ProtectDefaultBranchOptions,
  ProtectDefaultBranchResult,
  RemoveCreatorAdminResult,
  SetActionsSecretsOptions,
  SetActionsSecretsResult,
  SetActionsVariablesOptions,
  SetActionsVariablesResult,
} from './GitHubRepoService';
import { GitHubAccess } from './access/GitHubAccess';
import { FreshRepositories } from './client/FreshRepositories';
import { GitHubClient } from './client/GitHubClient';
import { GitHubDirectory } from './client/GitHubDirectory';
import { GitHubWriteBudget } from './budget/GitHubWriteBudget';
import { MemoryWriteSlotStore } from './budget/MemoryWriteSlotStore';
import { GitHubCodeOwners } from './codeOwners/GitHubCodeOwners';
import { GitHubEnvironments } from './environments/GitHubEnvironments';
import { GitHubPages } from './pages/GitHubPages';
import { GitHubBranchProtection } from './protection/GitHubBranchProtection';
import { GitHubPullRequests } from './pullRequests/GitHubPullRequests';
import {
  GitHubRepoServiceSettings,
  readGitHubRepoServiceConfig,
} from './readGitHubRepoServiceConfig';
import { GitHubInitialContent } from './repositories/GitHubInitialContent';
import { GitHubRepositories } from './repositories/GitHubRepositories';
import { GitHubWorkflowRuns } from './workflowRuns/GitHubWorkflowRuns';
import { GitHubActionsSecrets } from './secretsAndVariables/GitHubActionsSecrets';
import { GitHubActionsVariables } from './secretsAndVariables/GitHubActionsVariables';

/**
 * Tuning for tests and benchmarks; production reads `paved.github`.
 *
 * @public
 */
export interface DefaultGitHubRepoServiceOptions {
  config: Config;
  logger: LoggerService;
  /** Overrides of what `paved.github` says. */
  settings?: Partial<GitHubRepoServiceSettings>;
  /** Retries of 5xx answers and network failures; 3 by default. */
  retries?: number;
  /** Delay unit of those retries (n² units before retry n); 1000 ms by default. */
  retryBaseMs?: number;
  /**
   * Waits before retrying a 404 or 422 on a repository this service created
   * less than `freshWindowMs` ago (GitHub answers them briefly while a new
   * repository propagates). Default 0.5, 1, 2, 4 and 8 seconds within 2 minutes.
   */
  freshRepoRetryDelaysMs?: number[];
  freshWindowMs?: number;
  /**
   * The write budget the service's writes take turns in. The service
   * factory passes the one the replicas share through the database; by
   * default, one of this process only.
   */
  writeBudget?: GitHubWriteBudget;
}

/** A write budget of this process only, from the settings. */
export function processWriteBudget(
  settings: GitHubRepoServiceSettings,
): GitHubWriteBudget {
  return GitHubWriteBudget.create({
    store: new MemoryWriteSlotStore(),
    limits: settings.writeLimits,
    intervalMs: settings.writeIntervalMs,
    maxWaitMs: settings.writeBudgetMaxWaitMs,
  });
}

/** The concerns the service delegates to, over one client. */
interface Concerns {
  repositories: GitHubRepositories;
  initialContent: GitHubInitialContent;
  protection: GitHubBranchProtection;
  access: GitHubAccess;
  environments: GitHubEnvironments;
  pages: GitHubPages;
  secrets: GitHubActionsSecrets;
  variables: GitHubActionsVariables;
  codeOwners: GitHubCodeOwners;
  pullRequests: GitHubPullRequests;
  workflowRuns: GitHubWorkflowRuns;
}

function concernsOver(client: GitHubClient): Concerns {
  const directory = new GitHubDirectory({ client });
  return {
    repositories: new GitHubRepositories({ client }),
    initialContent: new GitHubInitialContent({ client }),
    protection: new GitHubBranchProtection({ client }),
    access: new GitHubAccess({ client, directory }),
    environments: new GitHubEnvironments({ client, directory }),
    pages: new GitHubPages({ client }),
    secrets: new GitHubActionsSecrets({ client }),
    variables: new GitHubActionsVariables({ client }),
    codeOwners: new GitHubCodeOwners({ client }),
    pullRequests: new GitHubPullRequests({ client }),
    workflowRuns: new GitHubWorkflowRuns({ client }),
  };
}

/**
 * The default {@link GitHubRepoService}, on `@octokit/rest` with the
 * throttling and retry plugins, with credentials from Backstage's GitHub
 * integration config (GitHub App installations first, then the token).
 * Each operation is one concern's (`src/repositories`, `src/protection`,
 * ...), all over one {@link GitHubClient}.
 *
 * @public
 */
export class DefaultGitHubRepoService implements GitHubRepoService {
  readonly #concerns: Concerns;

  /** Builds the service from app-config (`integrations.github`, `paved.github`). */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): DefaultGitHubRepoService {
    return DefaultGitHubRepoService.create({ config, logger: options.logger });
  }

  /** Builds the service, with tuning for tests and benchmarks. */
  static create(
    options: DefaultGitHubRepoServiceOptions,
  ): DefaultGitHubRepoService {
    const settings = {
      ...readGitHubRepoServiceConfig(options.config),
      ...options.settings,
    };
    const client = new GitHubClient({
      integrations: ScmIntegrations.fromConfig(options.config),
      logger: options.logger,
      settings,
      budget: options.writeBudget ?? processWriteBudget(settings),
      fresh: new FreshRepositories({
        windowMs: options.freshWindowMs ?? 120_000,
        retryDelaysMs: options.freshRepoRetryDelaysMs ?? [
          500, 1000, 2000, 4000, 8000,
        ],
      }),
      retries: options.retries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 1000,
    });
    return new DefaultGitHubRepoService({ concerns: concernsOver(client) });
  }

  private constructor(options: { concerns: Concerns }) {
    this.#concerns = options.concerns;
  }

  createRepository(
    options: CreateRepositoryOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<CreateRepositoryResult> {
    return this.#concerns.repositories.create(options, callOptions);
  }

  pushInitialContent(
    options: PushInitialContentOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<PushInitialContentResult> {
    return this.#concerns.initialContent.push(options, callOptions);
  }

  listWorkflowRuns(
    options: ListWorkflowRunsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<GitHubWorkflowRun[]> {
    return this.#concerns.workflowRuns.list(options, callOptions);
  }

  recordedOwner(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<RecordedOwnership> {
    return this.#concerns.repositories.recordedOwner(options, callOptions);
  }

  archiveRepository(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<ArchiveRepositoryResult> {
    return this.#concerns.repositories.archive(options, callOptions);
  }

  deleteRepository(
    options: DeleteRepositoryOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<DeleteRepositoryResult> {
    return this.#concerns.repositories.delete(options, callOptions);
  }

  protectDefaultBranch(
    options: ProtectDefaultBranchOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<ProtectDefaultBranchResult> {
    return this.#concerns.protection.protect(options, callOptions);
  }

  grantTeamAccess(
    options: GrantTeamAccessOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<GrantTeamAccessResult> {
    return this.#concerns.access.grantTeam(options, callOptions);
  }

  removeCreatorAdmin(
    options: GitHubRepoRef & { enabled?: boolean },
    callOptions?: GitHubCallOptions,
  ): Promise<RemoveCreatorAdminResult> {
    return this.#concerns.access.removeCreatorAdmin(options, callOptions);
  }

  ensureEnvironments(
    options: EnsureEnvironmentsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<EnsureEnvironmentsResult> {
    return this.#concerns.environments.ensure(options, callOptions);
  }

  enablePages(
    options: GitHubRepoRef,
    callOptions?: GitHubCallOptions,
  ): Promise<EnablePagesResult> {
    return this.#concerns.pages.enable(options, callOptions);
  }

  setActionsSecrets(
    options: SetActionsSecretsOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<SetActionsSecretsResult> {
    return this.#concerns.secrets.set(options, callOptions);
  }

  setActionsVariables(
    options: SetActionsVariablesOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<SetActionsVariablesResult> {
    return this.#concerns.variables.set(options, callOptions);
  }

  ensureCodeOwners(
    options: EnsureCodeOwnersOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<EnsureCodeOwnersResult> {
    return this.#concerns.codeOwners.ensure(options, callOptions);
  }

  openPullRequest(
    options: OpenPullRequestOptions,
    callOptions?: GitHubCallOptions,
  ): Promise<OpenPullRequestResult> {
    return this.#concerns.pullRequests.open(options, callOptions);
  }
}
