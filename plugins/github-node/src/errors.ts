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

/** A test of a failed request: its GitHub message or `errors` match the pattern. */
export function byMessage(pattern: RegExp) {
  return (error: unknown) => {
    const failure = requestFailureOf(error);
    if (!failure) return false;
    const errors = JSON.stringify(failure.data?.errors ?? []);
    return pattern.test(failure.message) || pattern.test(errors);
  };
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

/** Scopes that include others, as GitHub grants them to classic tokens. */
const IMPLIED_SCOPES: Record<string, string[]> = {
  repo: ['public_repo', 'repo:status', 'repo_deployment', 'repo:invite'],
  'admin:org': ['write:org', 'read:org'],
  'write:org': ['read:org'],
};

/**
 * The classic token scopes (any of them) the endpoints Paved calls need, for
 * answers that do not name them: GitHub leaves `x-accepted-oauth-scopes`
 * empty on some endpoints (deleting a repository among them, cli/cli#4513).
 */
const SCOPES_BY_ENDPOINT: Array<[RegExp, RegExp, string[]]> = [
  [/^DELETE$/, /^\/repos\/[^/]+\/[^/]+$/, ['delete_repo']],
  [/^GET$/, /^\/orgs\/[^/]+\/teams\//, ['read:org']],
  [/^(PUT|POST|PATCH|DELETE)$/, /^\/orgs\/[^/]+\/teams\//, ['admin:org']],
  [/^POST$/, /^\/orgs\/[^/]+\/repos$/, ['repo']],
  [/./, /^\/repos\//, ['repo']],
];

function endpointScopes(error: unknown): string[] {
  const request = (error as any)?.request;
  if (!request?.url) return [];
  let pathname: string;
  try {
    pathname = new URL(request.url).pathname.replace(/^\/api\/v3(?=\/)/, '');
  } catch {
    return [];
  }
  const method = String(request.method ?? 'GET').toUpperCase();
  return (
    SCOPES_BY_ENDPOINT.find(
      ([m, p]) => m.test(method) && p.test(pathname),
    )?.[2] ?? []
  );
}

function scopeList(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/**
 * The scopes an endpoint accepts when a classic token has none of them:
 * GitHub answers such a token 404 (hiding private resources) or 403, and
 * says which scopes the token has in `x-oauth-scopes`.
 */
function missingScopes(
  failure: RequestFailure,
  error: unknown,
): { accepted: string[]; has: string[] } | undefined {
  if (failure.status !== 403 && failure.status !== 404) return undefined;
  const hasHeader = failure.headers['x-oauth-scopes'];
  // Fine-grained tokens and apps get no x-oauth-scopes: nothing to compare.
  if (hasHeader === undefined) return undefined;
  const has = scopeList(hasHeader);
  const named = scopeList(failure.headers['x-accepted-oauth-scopes']);
  const accepted = named.length > 0 ? named : endpointScopes(error);
  if (accepted.length === 0) return undefined;
  const granted = new Set(has.flatMap(s => [s, ...(IMPLIED_SCOPES[s] ?? [])]));
  return accepted.some(s => granted.has(s)) ? undefined : { accepted, has };
}

function isRateLimited(
  failure: RequestFailure,
): 'primary' | 'secondary' | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  if (/\bsecondary rate\b/i.test(failure.message)) return 'secondary';
  if (failure.headers['x-ratelimit-remaining'] === '0') return 'primary';
  return undefined;
}

function unreachableError(error: unknown, action: string): Error {
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

function rateLimitError(
  failure: RequestFailure,
  action: string,
  maxWaitSeconds: number | undefined,
): GitHubRateLimitError | undefined {
  const { headers } = failure;
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
        maxWaitSeconds ?? '?'
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
  return undefined;
}

function missingScopeError(
  failure: RequestFailure,
  error: unknown,
  action: string,
): NotAllowedError | undefined {
  const scopes = missingScopes(failure, error);
  if (!scopes) return undefined;
  const { status, message } = failure;
  const quoted = (list: string[]) => list.map(s => `'${s}'`);
  return new NotAllowedError(
    `${action} failed: the GitHub token lacks the scope this needs: ${quoted(
      scopes.accepted,
    ).join(' or ')} (the token has ${
      scopes.has.length > 0 ? quoted(scopes.has).join(', ') : 'no scopes'
    }). GitHub answered ${status}${
      status === 404
        ? ' Not Found, as it does to a token without the scope'
        : `: ${message}`
    }`,
  );
}

function forbiddenError(failure: RequestFailure, action: string) {
  const { message } = failure;
  const acceptedPermissions = failure.headers['x-accepted-github-permissions'];
  if (!acceptedPermissions) {
    return new NotAllowedError(`${action} failed: ${message}`);
  }
  // "a=write,b=read; c=read": all of a set, any one set (GitHub docs).
  const sets = acceptedPermissions
    .split(';')
    .map(set =>
      set
        .split(',')
        .map(p => p.trim())
        .filter(Boolean)
        .map(p => `'${p.replace('=', ': ')}'`)
        .join(' and '),
    )
    .filter(Boolean);
  return new NotAllowedError(
    `${action} failed: the GitHub App installation lacks the permission${
      sets.some(set => set.includes(' and ')) ? 's' : ''
    } this needs: ${sets.join(', or ')}. GitHub said: ${message}`,
  );
}

/** The error of an answer that is neither a rate limit, a 401 nor a missing scope. */
function statusError(failure: RequestFailure, action: string): Error {
  const { status, message, data } = failure;
  if (status === 403) return forbiddenError(failure, action);
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
  // The write budget refused to wait that long: already said, and when.
  if (error instanceof GitHubRateLimitError) return error;
  const failure = requestFailureOf(error);
  if (!failure || failure.network) return unreachableError(error, action);
  const limited = rateLimitError(failure, action, context.maxWaitSeconds);
  if (limited) return limited;
  if (failure.status === 401) {
    return new AuthenticationError(
      `${action} failed: GitHub rejected the credentials (${failure.message}); check integrations.github`,
    );
  }
  const scopes =
    context.credentials === 'app'
      ? undefined
      : missingScopeError(failure, error, action);
  return scopes ?? statusError(failure, action);
}

/**
 * Turns a failed git request (isomorphic-git's HTTP error) on a repository
 * into a Backstage error, as {@link toGitHubError} does for the API.
 */
export function toGitError(
  error: any,
  action: string,
  where: { full: string; host: string },
): Error {
  const status = error?.data?.statusCode;
  if (status === 401 || status === 403) {
    return new NotAllowedError(
      `${action} failed: GitHub refused git access (${status} ${
        error.data?.statusMessage ?? ''
      }${
        error.data?.response ? `: ${String(error.data.response).trim()}` : ''
      })`,
    );
  }
  if (status === 404) {
    return new NotFoundError(
      `${action} failed: ${where.full} does not exist on ${where.host} or the credentials cannot see it`,
    );
  }
  return new ServiceUnavailableError(
    `${action} failed: git over HTTP to ${where.host} failed (${
      error?.message ?? error
    })`,
  );
}
