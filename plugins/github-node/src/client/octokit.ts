/**
 * Octokit with the throttling and retry plugins, loaded on first use: the
 * backend's memory at start matters, and many portals never talk to GitHub.
 */
import type { Octokit as OctokitType } from '@octokit/rest';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** An Octokit client with the rest endpoint methods. */
export type GitHubClient = OctokitType;

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

/**
 * Spaces content-creating requests: the throttling plugin's write queue, with
 * our interval instead of its fixed second. The plugin calls
 * `write.key(id).schedule(options, fn)` and nothing else.
 */
export class WritePacer {
  private next = 0;

  constructor(private readonly intervalMs: number) {}

  key() {
    return {
      schedule: async <T>(
        _options: unknown,
        fn: (...args: any[]) => Promise<T>,
        ...args: any[]
      ): Promise<T> => {
        const now = Date.now();
        const start = Math.max(now, this.next);
        this.next = start + this.intervalMs;
        if (start > now) {
          await new Promise(resolve => setTimeout(resolve, start - now));
        }
        return fn(...args);
      },
    };
  }
}

/** Options for {@link createGitHubClient}. */
export interface GitHubClientOptions {
  baseUrl: string;
  token: string;
  logger: LoggerService;
  pacer: WritePacer;
  /** Longest wait for a rate limit, in seconds. */
  maxWaitSeconds: number;
  /** Delay unit of the retry plugin (5xx and network failures), in ms. */
  retryBaseMs: number;
  /** Retries of 5xx and network failures. */
  retries: number;
}

/** Builds a client for one set of credentials. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { logger, maxWaitSeconds } = options;
  const Octokit = octokitClass();
  const describe = (o: { method?: string; url?: string }) =>
    `${o.method ?? 'GET'} ${o.url ?? ''}`;
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
      write: options.pacer as any,
      onRateLimit: (
        retryAfter: number,
        request: any,
        _o: unknown,
        count: number,
      ) => {
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
      onSecondaryRateLimit: (
        retryAfter: number,
        request: any,
        _o: unknown,
        count: number,
      ) => {
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
    },
    retry: {
      retries: options.retries,
      retryAfterBaseValue: options.retryBaseMs,
      // The plugin's list plus 409: a conflict answers the same every time.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
    },
  } as any);
}
