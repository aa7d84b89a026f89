import {
  AuthenticationError,
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * GitHub's rate limit stopped a request and waiting for it would take
 * longer than Paved waits (`paved.github.maxRateLimitWait`).
 *
 * @public
 */
export class GitHubRateLimitError extends CustomErrorBase {
  name = 'GitHubRateLimitError' as const;

  constructor(
    message: string,
    /** When the budget refills (primary limit) or the request may be retried (secondary). */
    readonly retryAt: Date,
    /** `primary` (the hourly budget) or `secondary` (GitHub's abuse limits). */
    readonly limit: 'primary' | 'secondary',
  ) {
    super(message);
  }
}

/** What Paved needs to know about a failed Octokit request. */
export interface RequestFailure {
  status: number;
  message: string;
  headers: Record<string, string | undefined>;
  data: any;
  /** No answer came: the request never reached GitHub or the connection broke. */
  network: boolean;
}

/** The status, GitHub message, headers and body of an Octokit RequestError. */
export function requestFailureOf(error: unknown): RequestFailure | undefined {
  const e = error as any;
  if (!e || typeof e !== 'object' || typeof e.status !== 'number') {
    return undefined;
  }
  const data = e.response?.data;
  return {
    status: e.status,
    message:
      (data && typeof data === 'object' && typeof data.message === 'string'
        ? data.message
        : undefined) ??
      e.message ??
      '',
    headers: e.response?.headers ?? {},
    data,
    network: !e.response,
  };
}

/** True for a request that failed with one of these statuses. */
export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  const failure = requestFailureOf(error);
  return failure !== undefined && statuses.includes(failure.status);
}

/** The `errors` array of a 422, as text. */
export function validationDetails(data: any): string {
  const errors: unknown[] = Array.isArray(data?.errors) ? data.errors : [];
  return errors
    .map(e =>
      typeof e === 'string'
        ? e
        : [(e as any)?.field, (e as any)?.message ?? (e as any)?.code]
            .filter(Boolean)
            .join(': '),
    )
    .filter(Boolean)
    .join('; ');
}

function isRateLimited(
  failure: RequestFailure,
): 'primary' | 'secondary' | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  if (/\bsecondary rate\b/i.test(failure.message)) return 'secondary';
  if (failure.headers['x-ratelimit-remaining'] === '0') return 'primary';
  return undefined;
}

/**
 * Turns a failed GitHub request into a Backstage error whose message says
 * what Paved was doing and what GitHub answered. Request bodies (which may
 * hold sealed secrets) are never part of it, and the Octokit error is not
 * kept as a cause for the same reason.
 *
 * @param action - what was attempted, e.g. `creating repository kestrel/shop`
 * @param context - who asked: `token` or `app` credentials, the wait limit
 */
export function toGitHubError(
  error: unknown,
  action: string,
  context: { credentials?: 'token' | 'app'; maxWaitSeconds?: number } = {},
): Error {
  const failure = requestFailureOf(error);
  if (!failure || failure.network) {
    const cause = (error as any)?.cause;
    const message = [
      (error as Error)?.message ?? String(error),
      cause?.code ?? cause?.message,
    ]
      .filter(Boolean)
      .join(': ');
    return new ServiceUnavailableError(
      `${action} failed: GitHub could not be reached (${message})`,
    );
  }
  const { status, message, headers, data } = failure;
  const limited = isRateLimited(failure);
  if (limited === 'primary') {
    const reset = new Date(Number(headers['x-ratelimit-reset'] ?? 0) * 1000);
    const minutes = Math.max(
      Math.ceil((reset.getTime() - Date.now()) / 60000),
      0,
    );
    return new GitHubRateLimitError(
      `${action} failed: the GitHub API rate limit of these credentials is spent (0 of ${
        headers['x-ratelimit-limit'] ?? '?'
      } requests left); it resets at ${reset.toISOString()} (in ${minutes} min), later than Paved waits (${
        context.maxWaitSeconds ?? '?'
      } s). Run the task again after the reset; finished steps are kept.`,
      reset,
      'primary',
    );
  }
  if (limited === 'secondary') {
    const retryAfter = Number(headers['retry-after'] ?? 60) || 60;
    return new GitHubRateLimitError(
      `${action} failed: GitHub's secondary rate limit refused the request (retry after ${retryAfter} s) more often than Paved retries. Run the task again in a few minutes; finished steps are kept.`,
      new Date(Date.now() + retryAfter * 1000),
      'secondary',
    );
  }
  if (status === 401) {
    return new AuthenticationError(
      `${action} failed: GitHub rejected the credentials (${message}); check integrations.github`,
    );
  }
  if (status === 403) {
    const acceptedScopes = headers['x-accepted-oauth-scopes'];
    const acceptedPermissions = headers['x-accepted-github-permissions'];
    if (acceptedScopes !== undefined && context.credentials !== 'app') {
      const has = headers['x-oauth-scopes'];
      return new NotAllowedError(
        `${action} failed: the GitHub token lacks the scope this needs: ${acceptedScopes
          .split(',')
          .map(s => `'${s.trim()}'`)
          .join(' or ')} (the token has ${
          has
            ? has
                .split(',')
                .map(s => `'${s.trim()}'`)
                .join(', ')
            : 'no scopes'
        }). GitHub said: ${message}`,
      );
    }
    if (acceptedPermissions) {
      return new NotAllowedError(
        `${action} failed: the GitHub App installation lacks the permission this needs: ${acceptedPermissions
          .split(',')
          .map(p => `'${p.trim().replace('=', ': ')}'`)
          .join(' or ')}. GitHub said: ${message}`,
      );
    }
    return new NotAllowedError(`${action} failed: ${message}`);
  }
  if (status === 404) {
    return new NotFoundError(
      `${action} failed: GitHub answered 404 Not Found (${message}); it does not exist or the credentials cannot see it`,
    );
  }
  if (status === 409) {
    return new ConflictError(`${action} failed: ${message}`);
  }
  if (status === 422) {
    const details = validationDetails(data);
    return new InputError(
      `${action} failed: GitHub refused the request: ${message}${
        details ? ` (${details})` : ''
      }`,
    );
  }
  return new ServiceUnavailableError(
    `${action} failed: GitHub answered ${status} (${message})`,
  );
}
