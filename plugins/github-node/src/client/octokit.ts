/**
 * Octokit with the throttling and retry plugins, loaded on first use: the
 * backend's memory at start matters, and many portals never talk to GitHub.
 */
import type { Octokit as OctokitType } from '@octokit/rest';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  GitHubWriteBudget,
  WriteCredential,
} from '../budget/GitHubWriteBudget';

/** An Octokit client with the rest endpoint methods. */
export type OctokitClient = OctokitType;

type OctokitClass = typeof OctokitType;

let ThrottledOctokit: OctokitClass | undefined;

function octokitClass(): OctokitClass {
  if (!ThrottledOctokit) {
    // These packages are ES modules; require() loads them on Node 22 and
    // keeps the cost off the backend's start.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Octokit } =
      require('@octokit/rest') as typeof import('@octokit/rest');
    const { throttling } =
      require('@octokit/plugin-throttling') as typeof import('@octokit/plugin-throttling');
    const { retry } =
      require('@octokit/plugin-retry') as typeof import('@octokit/plugin-retry');
    /* eslint-enable @typescript-eslint/no-require-imports */
    // The plugins' types name an older @octokit/core than @octokit/rest's.
    ThrottledOctokit = Octokit.plugin(
      throttling as unknown as Parameters<OctokitClass['plugin']>[0],
      retry as unknown as Parameters<OctokitClass['plugin']>[0],
    ) as unknown as OctokitClass;
  }
  return ThrottledOctokit;
}

/** How a client's content-creating requests take their turns. */
export interface OctokitWrites {
  budget: GitHubWriteBudget;
  credential: WriteCredential;
  /** Where a wait for a turn is said: the task's log. */
  logger: LoggerService;
  /** The operation, for the error when the wait would be too long. */
  what: string;
}

/** Options for {@link createOctokit}. */
export interface OctokitOptions {
  baseUrl: string;
  token: string;
  logger: LoggerService;
  writes: OctokitWrites;
  /** Longest wait for a rate limit, in seconds. */
  maxWaitSeconds: number;
  /** Delay unit of the retry plugin (5xx and network failures), in ms. */
  retryBaseMs: number;
  /** Retries of 5xx and network failures. */
  retries: number;
}

/**
 * The throttling plugin's write queue, replaced by the credential's write
 * budget (shared by every task and replica) instead of its per-process
 * second: the plugin calls `write.key(id).schedule(options, fn, ...args)`
 * before each write, its retries included, and nothing else.
 */
function writeQueueOf(writes: OctokitWrites) {
  return {
    key: () => ({
      schedule: async <T>(
        _options: unknown,
        fn: (...args: any[]) => Promise<T>,
        ...args: any[]
      ): Promise<T> => {
        await writes.budget.take(writes.credential, writes);
        return fn(...args);
      },
    }),
  };
}

function describe(request: { method?: string; url?: string }) {
  return `${request.method ?? 'GET'} ${request.url ?? ''}`;
}

/**
 * How long to wait for GitHub's rate limits, and what to say while waiting.
 * What GitHub asks for holds back the credential's whole write budget, so
 * the other tasks wait too instead of being refused in turn.
 */
function rateLimitHandlers(
  logger: LoggerService,
  maxWaitSeconds: number,
  writes: OctokitWrites,
) {
  const holdBack = (retryAfter: number) =>
    writes.budget.block(writes.credential, Date.now() + retryAfter * 1000);
  return {
    onRateLimit: async (
      retryAfter: number,
      request: any,
      _o: unknown,
      count: number,
    ) => {
      await holdBack(retryAfter);
      if (count < 1 && retryAfter <= maxWaitSeconds) {
        logger.warn(
          `GitHub API rate limit spent; retrying ${describe(
            request,
          )} in ${retryAfter} s`,
        );
        return true;
      }
      logger.warn(
        `GitHub API rate limit spent; ${describe(
          request,
        )} would wait ${retryAfter} s, more than the ${maxWaitSeconds} s allowed`,
      );
      return false;
    },
    onSecondaryRateLimit: async (
      retryAfter: number,
      request: any,
      _o: unknown,
      count: number,
    ) => {
      await holdBack(retryAfter);
      if (count < 3 && retryAfter <= maxWaitSeconds) {
        logger.warn(
          `GitHub secondary rate limit; retrying ${describe(
            request,
          )} in ${retryAfter} s`,
        );
        return true;
      }
      logger.warn(
        `GitHub secondary rate limit; giving up on ${describe(
          request,
        )} after ${count} retries`,
      );
      return false;
    },
  };
}

/** Builds an Octokit for one set of credentials. */
export function createOctokit(options: OctokitOptions): OctokitClient {
  const { logger } = options;
  const Octokit = octokitClass();
  return new Octokit({
    baseUrl: options.baseUrl,
    auth: options.token,
    userAgent: 'paved-github-driver',
    // Octokit's request log is per request: debug, not info.
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
    throttle: {
      write: writeQueueOf(options.writes),
      ...rateLimitHandlers(logger, options.maxWaitSeconds, options.writes),
    },
    retry: {
      retries: options.retries,
      retryAfterBaseValue: options.retryBaseMs,
      // The plugin's list plus 409: a conflict answers the same every time.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
    },
  } as any);
}
