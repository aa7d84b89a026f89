import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  ArchiveRepositoryResult,
  CreateRepositoryOptions,
  CreateRepositoryResult,
  DeleteRepositoryOptions,
  DeleteRepositoryResult,
  EnsureCodeOwnersOptions,
  EnsureCodeOwnersResult,
  EnsureEnvironmentsOptions,
  EnsureEnvironmentsResult,
  GitHubRepoRef,
  GitHubRepoService,
  GrantTeamAccessOptions,
  GrantTeamAccessResult,
  OpenPullRequestOptions,
  OpenPullRequestResult,
  ProtectDefaultBranchOptions,
  ProtectDefaultBranchResult,
  PushInitialContentOptions,
  PushInitialContentResult,
  RemoveCreatorAdminResult,
  SetActionsSecretsOptions,
  SetActionsSecretsResult,
  SetActionsVariablesOptions,
  SetActionsVariablesResult,
} from './GitHubRepoService';
import { byMessage, hasStatus } from './errors';
import {
  GitPushRefusedError,
  GitRemote,
  commitChanges,
  fetchBranch,
  listRemoteBranches,
  pushBranch,
  readFileAt,
} from './gitOps';
import { assertBranchName, assertRepositoryName } from './names';
import {
  GitHubRepoServiceSettings,
  readGitHubRepoServiceConfig,
} from './readGitHubRepoServiceConfig';
import { GitHubAccess } from './access/GitHubAccess';
import { GitHubEnvironments } from './environments/GitHubEnvironments';
import { GitHubActionsSecrets } from './secretsAndVariables/GitHubActionsSecrets';
import { GitHubActionsVariables } from './secretsAndVariables/GitHubActionsVariables';
import { GitHubCodeOwners } from './codeOwners/GitHubCodeOwners';
import { FreshRepositories } from './client/FreshRepositories';
import { GitHubClient } from './client/GitHubClient';
import { GitHubDirectory } from './client/GitHubDirectory';
import { IntervalWritePacer } from './client/WritePacer';
import { withTempGitDir } from './client/withTempGitDir';
import { GitHubBranchProtection } from './protection/GitHubBranchProtection';
import { GitHubInitialContent } from './repositories/GitHubInitialContent';
import { GitHubRepositories } from './repositories/GitHubRepositories';


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
}

const pullExists = byMessage(/A pull request already exists/i);

/**
 * The default {@link GitHubRepoService}, on `@octokit/rest` with the
 * throttling and retry plugins, with credentials from Backstage's GitHub
 * integration config (GitHub App installations first, then the token).
 *
 * @public
 */
export class DefaultGitHubRepoService implements GitHubRepoService {
  readonly #client: GitHubClient;
  readonly #directory: GitHubDirectory;
  readonly #repositories: GitHubRepositories;
  readonly #initialContent: GitHubInitialContent;
  readonly #protection: GitHubBranchProtection;
  readonly #codeOwners: GitHubCodeOwners;
  readonly #secrets: GitHubActionsSecrets;
  readonly #variables: GitHubActionsVariables;
  readonly #environments: GitHubEnvironments;
  readonly #access: GitHubAccess;

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
      pacer: new IntervalWritePacer({ intervalMs: settings.writeIntervalMs }),
      fresh: new FreshRepositories({
        windowMs: options.freshWindowMs ?? 120_000,
        retryDelaysMs: options.freshRepoRetryDelaysMs ?? [
          500, 1000, 2000, 4000, 8000,
        ],
      }),
      retries: options.retries ?? 3,
      retryBaseMs: options.retryBaseMs ?? 1000,
    });
    return new DefaultGitHubRepoService({ client });
  }

  private constructor(options: { client: GitHubClient }) {
    this.#client = options.client;
    this.#directory = new GitHubDirectory({ client: options.client });
    this.#repositories = new GitHubRepositories(options);
    this.#initialContent = new GitHubInitialContent(options);
    this.#protection = new GitHubBranchProtection(options);
    this.#codeOwners = new GitHubCodeOwners(options);
    this.#secrets = new GitHubActionsSecrets(options);
    this.#variables = new GitHubActionsVariables(options);
    this.#environments = new GitHubEnvironments({
      ...options,
      directory: this.#directory,
    });
    this.#access = new GitHubAccess({ ...options, directory: this.#directory });
  }

  createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult> {
    return this.#repositories.create(options);
  }

  pushInitialContent(
    options: PushInitialContentOptions,
  ): Promise<PushInitialContentResult> {
    return this.#initialContent.push(options);
  }

  archiveRepository(options: GitHubRepoRef): Promise<ArchiveRepositoryResult> {
    return this.#repositories.archive(options);
  }

  deleteRepository(
    options: DeleteRepositoryOptions,
  ): Promise<DeleteRepositoryResult> {
    return this.#repositories.delete(options);
  }

  protectDefaultBranch(
    options: ProtectDefaultBranchOptions,
  ): Promise<ProtectDefaultBranchResult> {
    return this.#protection.protect(options);
  }

  grantTeamAccess(
    options: GrantTeamAccessOptions,
  ): Promise<GrantTeamAccessResult> {
    return this.#access.grantTeam(options);
  }

  removeCreatorAdmin(
    options: GitHubRepoRef & { enabled?: boolean },
  ): Promise<RemoveCreatorAdminResult> {
    return this.#access.removeCreatorAdmin(options);
  }

  ensureEnvironments(
    options: EnsureEnvironmentsOptions,
  ): Promise<EnsureEnvironmentsResult> {
    return this.#environments.ensure(options);
  }

  setActionsSecrets(
    options: SetActionsSecretsOptions,
  ): Promise<SetActionsSecretsResult> {
    return this.#secrets.set(options);
  }

  setActionsVariables(
    options: SetActionsVariablesOptions,
  ): Promise<SetActionsVariablesResult> {
    return this.#variables.set(options);
  }

  ensureCodeOwners(
    options: EnsureCodeOwnersOptions,
  ): Promise<EnsureCodeOwnersResult> {
    return this.#codeOwners.ensure(options);
  }

  // ----------------------------------------------------------- pull requests

  async openPullRequest(
    options: OpenPullRequestOptions,
  ): Promise<OpenPullRequestResult> {
    const { owner, name, branch } = options;
    assertRepositoryName(name);
    assertBranchName(branch);
    if (options.base !== undefined) assertBranchName(options.base, 'base');
    if (!options.title?.trim())
      throw new InputError('title: the pull request needs a title');
    const files = Object.entries(options.files);
    if (files.length === 0)
      throw new InputError('files: no file changes given');
    for (const [file] of files) {
      const normal = path.posix.normalize(file);
      if (
        !file ||
        normal !== file ||
        file.startsWith('/') ||
        normal.startsWith('..') ||
        file.startsWith('.git/')
      ) {
        throw new InputError(
          `files: "${file}" is not a relative path inside the repository`,
        );
      }
    }
    const full = `${owner}/${name}`;
    const action = `opening a pull request on ${full}`;
    const s = await this.#client.session(options, action);
    const remote: GitRemote = { url: s.remote.url, token: s.token };
    const author = options.author ?? this.#client.settings.author;

    return withTempGitDir(async (gitdir, dir) => {
      const { branches, head } = await this.#client.gitOnRepo(s, action, () =>
        listRemoteBranches(remote),
      );
      const base = options.base ?? head;
      if (!base || !branches.has(base)) {
        throw new NotFoundError(
          `${action} failed: ${full} has no branch ${
            base ?? '(default)'
          } to propose changes to`,
        );
      }
      const answer = (
        status: OpenPullRequestResult['status'],
        pr?: { number: number; html_url: string },
      ): OpenPullRequestResult => ({
        status,
        number: pr?.number ?? 0,
        htmlUrl: pr?.html_url ?? '',
        branch,
        base,
      });
      const matches = async (commit: string) => {
        for (const [file, wanted] of files) {
          const have = await readFileAt(gitdir, commit, file);
          if (
            wanted === null
              ? have !== undefined
              : !have?.equals(Buffer.from(wanted))
          ) {
            return false;
          }
        }
        return true;
      };
      const baseCommit = await this.#client.gitOnRepo(s, action, () =>
        fetchBranch(remote, { dir, gitdir, branch: base }),
      );
      if (await matches(baseCommit.commit)) return answer('up-to-date');
      if (branches.has(branch)) {
        const theirs = await this.#client.gitOnRepo(s, action, () =>
          fetchBranch(remote, { dir, gitdir, branch }),
        );
        if (!(await matches(theirs.commit))) {
          throw new ConflictError(
            `${full} already has a branch ${branch} with other changes; Paved will not overwrite it`,
          );
        }
      } else {
        await commitChanges({
          dir,
          gitdir,
          base: baseCommit.commit,
          branch,
          files: options.files,
          message: options.message ?? options.title,
          author,
        });
        try {
          await pushBranch(remote, { dir, gitdir, branch });
        } catch (error) {
          if (error instanceof GitPushRefusedError) {
            throw new NotAllowedError(
              `${action} failed: GitHub refused the push of ${branch} (${
                error.reason
              }): ${error.serverMessages.join(' ')}`,
            );
          }
          throw new ServiceUnavailableError(
            `${action} failed: the connection to ${
              s.host
            } broke while pushing ${branch} (${
              (error as Error).message
            }); run the task again to finish`,
          );
        }
      }
      const findOpen = async () => {
        const open = await s.octokit.rest.pulls.list({
          owner,
          repo: name,
          head: `${owner}:${branch}`,
          base,
          state: 'open',
        });
        return open.data[0];
      };
      try {
        if (branches.has(branch)) {
          const open = await findOpen();
          if (open) return answer('exists', open);
        }
        const pr = await s.octokit.rest.pulls.create({
          owner,
          repo: name,
          head: branch,
          base,
          title: options.title,
          body: options.body,
          draft: options.draft,
        });
        s.logger.info(`Opened pull request #${pr.data.number} on ${full}`);
        return answer('opened', pr.data);
      } catch (error) {
        if (hasStatus(error, 422) && pullExists(error)) {
          const open = await findOpen().catch(e => {
            throw this.#client.fail(e, action, s);
          });
          if (open) return answer('exists', open);
        }
        throw this.#client.fail(error, action, s);
      }
    });
  }
}
