import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { createHash } from 'node:crypto';
import { GitHubCallOptions, GitHubRepoRef } from '../GitHubRepoService';
import {
  GitHubWriteBudget,
  WriteCredential,
} from '../budget/GitHubWriteBudget';
import {
  hasStatus,
  requestFailureOf,
  toGitError,
  toGitHubError,
} from '../errors';
import { GitHubRepoServiceSettings } from '../readGitHubRepoServiceConfig';
import { FreshRepositories } from './FreshRepositories';
import { GitHubSession, webBaseUrlOf } from './GitHubSession';
import { assertOwnerAllowed } from './assertOwnerAllowed';
import { createOctokit } from './octokit';

/** Options of {@link GitHubClient}. */
export interface GitHubClientOptions {
  integrations: ScmIntegrations;
  logger: LoggerService;
  settings: GitHubRepoServiceSettings;
  /** Gives every write of every session its turn, per credential. */
  budget: GitHubWriteBudget;
  fresh: FreshRepositories;
  /** Retries of 5xx answers and network failures. */
  retries: number;
  /** Delay unit of those retries, in ms. */
  retryBaseMs: number;
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The one way the concerns reach GitHub: a session per operation (Octokit
 * with the host's credentials, a token or a GitHub App installation), the
 * mapping of failures onto Backstage errors, and the retries of what GitHub
 * answers briefly on a repository this service just created.
 */
export class GitHubClient {
  readonly #integrations: ScmIntegrations;
  readonly #logger: LoggerService;
  readonly #settings: GitHubRepoServiceSettings;
  readonly #budget: GitHubWriteBudget;
  readonly #fresh: FreshRepositories;
  readonly #retries: number;
  readonly #retryBaseMs: number;
  readonly #maxWaitSeconds: number;
  // Built on first use: it loads the integration's own Octokit.
  #credentialsProvider: GithubCredentialsProvider | undefined;

  constructor(options: GitHubClientOptions) {
    this.#integrations = options.integrations;
    this.#logger = options.logger;
    this.#settings = options.settings;
    this.#budget = options.budget;
    this.#fresh = options.fresh;
    this.#retries = options.retries;
    this.#retryBaseMs = options.retryBaseMs;
    this.#maxWaitSeconds = Math.floor(
      options.settings.maxRateLimitWaitMs / 1000,
    );
  }

  /** The settings of `paved.github`, with the commit author. */
  get settings(): GitHubRepoServiceSettings {
    return this.#settings;
  }

  /** The repositories created within the fresh window. */
  get fresh(): FreshRepositories {
    return this.#fresh;
  }

  /**
   * A session on a repository in an allowed owner, on its host or the one
   * GitHub integration with credentials; `action` names the operation in
   * the errors. Its writes wait for their turn in the credential's write
   * budget, saying so in the caller's `logger`.
   */
  async session(
    ref: GitHubRepoRef,
    action: string,
    options?: GitHubCallOptions,
  ): Promise<GitHubSession> {
    assertOwnerAllowed(ref.owner, this.#settings.allowedOwners);
    const host = ref.host ?? this.#defaultHost();
    const integration = this.#integrations.github.byHost(host);
    if (!integration) {
      throw new InputError(
        `host: no GitHub integration is configured for "${host}" (integrations.github)`,
      );
    }
    const { token, credentials } = await this.#credentials(host, ref, action);
    const credential = writeCredentialOf(host, ref.owner, credentials, token);
    const repo = { host, owner: ref.owner, name: ref.name };
    const full = `${ref.owner}/${ref.name}`;
    const webBaseUrl = webBaseUrlOf(integration.config.apiBaseUrl, host);
    const logger = this.#logger.child({ repository: full, host });
    return {
      octokit: createOctokit({
        baseUrl: integration.config.apiBaseUrl ?? 'https://api.github.com',
        token,
        logger,
        writes: {
          budget: this.#budget,
          credential,
          logger: options?.logger ?? logger,
          what: action,
        },
        maxWaitSeconds: this.#maxWaitSeconds,
        retries: this.#retries,
        retryBaseMs: this.#retryBaseMs,
      }),
      token,
      credentials,
      host,
      webBaseUrl,
      repo,
      full,
      remote: { url: `${webBaseUrl}/${full}.git`, token },
      logger,
    };
  }

  /** The Backstage error for a failed request of the session. */
  fail(error: unknown, action: string, s: GitHubSession): Error {
    return toGitHubError(error, action, {
      credentials: s.credentials,
      maxWaitSeconds: this.#maxWaitSeconds,
    });
  }

  /**
   * Throws the error naming a missing token scope, for a 404 or 403 the
   * caller would otherwise read as "not there" (GitHub answers a token
   * without the scope so).
   */
  throwIfScopeMissing(error: unknown, action: string, s: GitHubSession) {
    if (!hasStatus(error, 403, 404)) return;
    const failure = this.fail(error, action, s);
    if (
      failure.name === 'NotAllowedError' &&
      failure.message.includes('lacks the scope')
    ) {
      throw failure;
    }
  }

  /** Created by this service instance within the fresh window. */
  isFresh(s: GitHubSession): boolean {
    return this.#fresh.isFresh(s.repo);
  }

  /**
   * Runs a request on the session's repository, retrying the 404s and 422s
   * GitHub answers briefly after creating it (those the caller expects excepted).
   */
  async onRepo<T>(
    s: GitHubSession,
    fn: () => Promise<T>,
    expected: (error: unknown) => boolean = () => false,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const delay =
          hasStatus(error, 404, 422) && !expected(error)
            ? this.#fresh.retryDelay(s.repo, attempt)
            : undefined;
        if (delay === undefined) throw error;
        s.logger.debug(
          `GitHub answered ${
            requestFailureOf(error)?.status
          } for new repository ${s.full}; retrying`,
        );
        await sleep(delay);
      }
    }
  }

  /** Git requests on a new repository may answer 404 briefly, as the API does. */
  async gitOnRepo<T>(
    s: GitHubSession,
    action: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error: any) {
        const delay =
          error?.data?.statusCode === 404
            ? this.#fresh.retryDelay(s.repo, attempt)
            : undefined;
        if (delay === undefined) throw toGitError(error, action, s);
        await sleep(delay);
      }
    }
  }

  #defaultHost(): string {
    const withCredentials = this.#integrations.github
      .list()
      .filter(i => i.config.token || (i.config.apps?.length ?? 0) > 0);
    return withCredentials.length === 1
      ? withCredentials[0].config.host
      : 'github.com';
  }

  async #credentials(
    host: string,
    ref: GitHubRepoRef,
    action: string,
  ): Promise<{ token: string; credentials: 'token' | 'app' }> {
    if (!this.#credentialsProvider) {
      this.#credentialsProvider =
        DefaultGithubCredentialsProvider.fromIntegrations(this.#integrations);
    }
    let token: string | undefined;
    let type: string;
    try {
      const credentials = await this.#credentialsProvider.getCredentials({
        url: `https://${host}/${ref.owner}${ref.name ? `/${ref.name}` : ''}`,
      });
      token = credentials.token;
      type = credentials.type;
    } catch (error) {
      throw new NotAllowedError(
        `${action} failed: no GitHub credentials for ${host}/${ref.owner}: ${
          (error as Error).message
        }`,
      );
    }
    if (!token) {
      throw new NotAllowedError(
        `${action} failed: no GitHub credentials for ${host}/${ref.owner}; configure a GitHub App installed on ${ref.owner} or a token in integrations.github`,
      );
    }
    return { token, credentials: type === 'app' ? 'app' : 'token' };
  }
}

/**
 * Whose write budget a session spends: an App installation is one per owner,
 * a token one per token (named by a hash: the token itself is never kept).
 */
function writeCredentialOf(
  host: string,
  owner: string,
  credentials: 'token' | 'app',
  token: string,
): WriteCredential {
  if (credentials === 'app') {
    const installation = owner.toLowerCase();
    return {
      key: `app:${host}:${installation}`,
      description: `the GitHub App installation on ${installation} (${host})`,
    };
  }
  const hash = createHash('sha256').update(token).digest('hex').slice(0, 16);
  return {
    key: `token:${host}:${hash}`,
    description: `the token for ${host}`,
  };
}
