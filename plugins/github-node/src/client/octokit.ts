/**
 * Octokit with the throttling and retry plugins, loaded on first use: the
 * backend's memory at start matters, and many portals never talk to GitHub.
 */
import type { Octokit as OctokitType } from '@octokit/rest';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { WritePacer } from './WritePacer';

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

/** Options for {@link createOctokit}. */
export interface OctokitOptions {
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

/**
 * The throttling plugin's write queue, paced by ours instead of its fixed
 * second: the plugin calls `write.key(id).schedule(options, fn, ...args)`
 * and nothing else.
 */
function writeQueueOf(pacer: WritePacer) {
  return {
    key: () => ({
      schedule: <T>(
        _options: unknown,
        fn: (...args: any[]) => Promise<T>,
        ...args: any[]
      ): Promise<T> => pacer.schedule(() => fn(...args)),
    }),
  };
}

function describe(request: { method?: string; url?: string }) {
  return `${request.method ?? 'GET'} ${request.url ?? ''}`;
}

/** How long to wait for GitHub's rate limits, and what to say while waiting. */
function rateLimitHandlers(logger: LoggerService, maxWaitSeconds: number) {
  return {
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
      write: writeQueueOf(options.pacer),
      ...rateLimitHandlers(logger, options.maxWaitSeconds),
    },
    retry: {
      retries: options.retries,
      retryAfterBaseValue: options.retryBaseMs,
      // The plugin's list plus 409: a conflict answers the same every time.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
    },
  } as any);
}
