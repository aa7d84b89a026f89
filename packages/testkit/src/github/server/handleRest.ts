/**
 * A REST request from arrival to answer: authentication, the rate limits,
 * injected faults, the route's scopes and permissions, its repository, and
 * its handler.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { GitHubTestDriver } from '../GitHubTestDriver';
import { GitHubTestRequest } from '../GitHubTestServer';
import { readBody } from '../gitHttpBackend';
import {
  GitHubHttpError,
  docs,
  errorBody,
  primaryRateLimitMessage,
  secondaryRateLimitMessage,
} from '../responses';
import { Identity, RestRequest, Route, matchRoute } from '../rest';
import { RepoState } from '../state';
import { credentialFrom, hasPermission, hasScope, identify } from './auth';
import { ServerContext } from './context';
import {
  budgetOf,
  contentLimitRetryAfter,
  rateHeaders,
  rateLimitBody,
} from './rateLimits';
import { send } from './send';

/** One REST request being answered. */
interface Exchange {
  driver: GitHubTestDriver;
  res: http.ServerResponse;
  record: GitHubTestRequest;
  headers: Record<string, string>;
  identity?: Identity;
  /** What the matched endpoint accepts, sent with every answer to a token. */
  acceptedScopes?: string;
}

function requestId(): string {
  return crypto.randomBytes(8).toString('hex').toUpperCase().slice(0, 16);
}

/** Answers with GitHub's headers, the rate limit and the token's scopes. */
function reply(
  ex: Exchange,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const { identity, acceptedScopes } = ex;
  ex.record.status = status;
  send(ex.res, status, body, {
    ...ex.headers,
    ...rateHeaders(ex.driver, identity),
    ...(identity?.kind === 'token'
      ? {
          'x-oauth-scopes': (identity.scopes ?? []).join(', '),
          ...(acceptedScopes !== undefined
            ? { 'x-accepted-oauth-scopes': acceptedScopes }
            : {}),
        }
      : {}),
    ...headers,
  });
}

function fail(ex: Exchange, error: GitHubHttpError) {
  reply(ex, error.status, error.body(), error.headers);
}

/** The caller, or the 401 for a missing or bad credential. */
function authenticate(
  driver: GitHubTestDriver,
  req: http.IncomingMessage,
): Identity | GitHubHttpError {
  const credential = credentialFrom(req.headers.authorization);
  if (!credential) {
    return new GitHubHttpError(401, 'Requires authentication', docs.root);
  }
  return identify(driver, credential.value);
}

/** Spends one request of the primary budget, or the error when it is gone. */
function spendBudget(driver: GitHubTestDriver, identity: Identity) {
  const budget = budgetOf(driver, identity);
  if (budget.remaining <= 0) {
    return new GitHubHttpError(
      driver.rateLimitStatus,
      primaryRateLimitMessage(
        identity.kind === 'token' ? 'user' : 'installation',
        identity.id,
      ),
      docs.rateLimit,
    );
  }
  budget.remaining -= 1;
  return undefined;
}

/** The injected fault matching the request, used up by one. */
function takeFault(driver: GitHubTestDriver, method: string, path: string) {
  const fault = driver.faults.find(
    f =>
      (!f.method || f.method.toUpperCase() === method) &&
      (typeof f.path === 'string' ? f.path === path : f.path.test(path)),
  );
  if (fault) {
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) driver.faults.splice(driver.faults.indexOf(fault), 1);
  }
  return fault;
}

/** The secondary rate limit error, when a trigger or the content limits hit. */
function secondaryLimitError(ex: Exchange, identity: Identity) {
  const { driver, record } = ex;
  const rid = ex.headers['x-github-request-id'];
  const secondary = driver.secondary;
  if (
    secondary &&
    secondary.remaining > 0 &&
    (!secondary.writesOnly || record.contentCreating)
  ) {
    secondary.remaining -= 1;
    if (secondary.remaining <= 0) driver.secondary = undefined;
    return new GitHubHttpError(
      secondary.status,
      secondaryRateLimitMessage(rid),
      docs.secondaryRateLimit,
      undefined,
      secondary.retryAfter === undefined
        ? {}
        : { 'retry-after': String(secondary.retryAfter) },
    );
  }
  const retryAfter = record.contentCreating
    ? contentLimitRetryAfter(driver, identity)
    : undefined;
  if (retryAfter !== undefined) {
    return new GitHubHttpError(
      403,
      secondaryRateLimitMessage(rid),
      docs.secondaryRateLimit,
      undefined,
      { 'retry-after': String(retryAfter) },
    );
  }
  return undefined;
}

/** Why the caller may not use the route: app JWT, scopes or permissions. */
function authorizationError(route: Route, identity: Identity) {
  if (route.auth === 'jwt' && identity.kind !== 'app') {
    return new GitHubHttpError(
      401,
      'A JSON web token could not be decoded',
      route.docs,
    );
  }
  if (route.auth !== 'jwt' && identity.kind === 'app') {
    return new GitHubHttpError(
      403,
      'Resource not accessible by integration',
      route.docs,
    );
  }
  if (
    identity.kind === 'token' &&
    route.scopes.length > 0 &&
    !hasScope(identity.scopes!, route.scopes)
  ) {
    // GitHub answers a classic token without the scope 404, so as not to
    // reveal private resources (docs: "Troubleshooting the REST API").
    const denial = route.scopeDenial;
    return new GitHubHttpError(
      denial?.status ?? 404,
      denial?.message ?? 'Not Found',
      route.docs,
    );
  }
  if (
    identity.kind === 'installation' &&
    route.permission &&
    !hasPermission(identity.installation!.permissions, route.permission)
  ) {
    return new GitHubHttpError(
      403,
      'Resource not accessible by integration',
      route.docs,
      undefined,
      { 'x-accepted-github-permissions': route.permission },
    );
  }
  return undefined;
}

/**
 * The repository of a `repo` route, or GitHub's answer: 404 when it is
 * missing or hidden from the installation, and the transient 404 or 422 of
 * a repository still propagating after its creation.
 */
function repoOf(
  driver: GitHubTestDriver,
  route: Route,
  params: Record<string, string>,
  identity: Identity,
): RepoState | GitHubHttpError {
  const repo = driver.repo(params.owner, params.repo);
  const inst = identity.installation;
  const visible =
    repo &&
    (!inst ||
      (inst.account.toLowerCase() === repo.owner.toLowerCase() &&
        (inst.repositorySelection === 'all' ||
          (inst.repositories ?? []).includes(repo.name))));
  if (!repo || !visible) {
    return new GitHubHttpError(404, 'Not Found', route.docs);
  }
  if (repo.transient.notFound > 0) {
    repo.transient.notFound -= 1;
    return new GitHubHttpError(404, 'Not Found', route.docs);
  }
  if (repo.transient.unprocessable > 0) {
    repo.transient.unprocessable -= 1;
    // What GitHub answers while a new repository propagates is not
    // documented; the reports show 422 Validation Failed.
    return new GitHubHttpError(422, 'Validation Failed', route.docs, [
      {
        resource: 'Repository',
        code: 'unprocessable',
        message: 'Repository is not ready yet',
      },
    ]);
  }
  return repo;
}

/** The JSON body, or 400 when it does not parse. */
function parseBody(
  raw: Buffer,
  doc: string,
): { body: unknown } | GitHubHttpError {
  if (raw.length === 0) return { body: undefined };
  try {
    return { body: JSON.parse(raw.toString('utf8')) };
  } catch {
    return new GitHubHttpError(400, 'Problems parsing JSON', doc);
  }
}

/** Runs the route's handler and answers what it returns or throws. */
async function runHandler(ex: Exchange, route: Route, restReq: RestRequest) {
  try {
    const out = await route.handler(restReq);
    reply(ex, out.status, out.body, out.headers);
  } catch (error) {
    if (error instanceof GitHubHttpError) {
      fail(ex, error);
    } else {
      reply(ex, 500, errorBody(500, String(error), route.docs));
    }
  }
}

/**
 * What stands between a request and its route, in GitHub's order: the
 * primary budget, an injected fault, the secondary limits, the route, who
 * may call it, and its repository. An error to answer, `drop` when the
 * connection is to be cut, or the route and its repository.
 */
function admit(
  ex: Exchange,
  identity: Identity,
  method: string,
  match: ReturnType<typeof matchRoute>,
) {
  const { driver, record } = ex;
  const overBudget = spendBudget(driver, identity);
  if (overBudget) return overBudget;
  const fault = takeFault(driver, method, record.path);
  if (fault?.dropConnection) return 'drop' as const;
  if (fault) {
    const status = fault.status ?? 502;
    return new GitHubHttpError(
      status,
      fault.message ?? (status >= 500 ? 'Server Error' : 'Fault injected'),
      match?.route.docs ?? docs.root,
    );
  }
  const limited = secondaryLimitError(ex, identity);
  if (limited) return limited;
  if (!match) return new GitHubHttpError(404, 'Not Found', docs.root);
  const denied = authorizationError(match.route, identity);
  if (denied) return denied;
  if (!match.route.repo) return { ...match, repo: undefined };
  const repo = repoOf(driver, match.route, match.params, identity);
  return repo instanceof GitHubHttpError ? repo : { ...match, repo };
}

/** Answers one REST request. @internal */
export async function handleRest(
  context: ServerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  record: GitHubTestRequest,
) {
  const { driver } = context;
  const method = req.method ?? 'GET';
  const ex: Exchange = {
    driver,
    res,
    record,
    headers: {
      'x-github-request-id': requestId(),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
    },
  };
  const raw = await readBody(req);
  const match = matchRoute(method, record.path);
  record.route = `${method} ${match ? match.route.path : record.path}`;
  if (match) {
    ex.acceptedScopes =
      match.route.scopeDenial?.acceptedHeader ?? match.route.scopes.join(', ');
  }
  // The rate limit endpoint neither needs a budget nor spends one.
  if (method === 'GET' && record.path === '/rate_limit') {
    const who = authenticate(driver, req);
    if (!(who instanceof GitHubHttpError)) ex.identity = who;
    reply(ex, 200, rateLimitBody(driver, ex.identity));
    return;
  }
  const identity = authenticate(driver, req);
  if (identity instanceof GitHubHttpError) {
    fail(ex, identity);
    return;
  }
  ex.identity = identity;
  record.identity = identity.kind;
  const admitted = admit(ex, identity, method, match);
  if (admitted === 'drop') {
    record.status = 0;
    req.socket.destroy();
    return;
  }
  if (admitted instanceof GitHubHttpError) {
    fail(ex, admitted);
    return;
  }
  const { route, params, repo } = admitted;
  const parsed = parseBody(raw, route.docs);
  if (parsed instanceof GitHubHttpError) {
    fail(ex, parsed);
    return;
  }
  await runHandler(ex, route, {
    method,
    path: record.path,
    params,
    query: url.searchParams,
    headers: req.headers,
    body: parsed.body,
    identity,
    urls: context.urls,
    driver,
    repo,
  });
}
