/**
 * A GitHub server for tests: the REST API (at the root and, as GitHub
 * Enterprise Server serves it, under `/api/v3`) and git over smart HTTP
 * through `git http-backend`, on 127.0.0.1 and an ephemeral port. It
 * authenticates classic tokens, GitHub App JWTs and installation tokens,
 * keeps primary and secondary rate limits, and lets the test inject faults.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  GitHubTestApp,
  GitHubTestDriver,
  GitHubTestOrg,
} from './GitHubTestDriver';
import { verifyAppJwt } from './appJwt';
import { readBody, runGitHttpBackend } from './gitHttpBackend';
import { listBranches, setDefaultBranch } from './gitCli';
import {
  GitHubHttpError,
  docs,
  errorBody,
  primaryRateLimitMessage,
  secondaryRateLimitMessage,
} from './responses';
import { Identity, RestRequest, matchRoute, workflowAllowed } from './rest';
import { Urls, appSlug, timestamp } from './serialize';
import { RepoState } from './state';

/**
 * One request the test server received.
 *
 * @public
 */
export interface GitHubTestRequest {
  /** `rest` for the REST API, `git` for smart HTTP. */
  kind: 'rest' | 'git';
  method: string;
  /** The path without `/api/v3` and without the query string. */
  path: string;
  /** The route template, e.g. `PUT /repos/{owner}/{repo}/topics`. */
  route: string;
  /**
   * A content-creating request in GitHub's sense (POST, PATCH, PUT or
   * DELETE on the REST API, app token exchanges excepted): what the
   * secondary limits of 80 a minute and 500 an hour count.
   */
  contentCreating: boolean;
  /** The HTTP status answered; 0 when the connection was cut. */
  status: number;
  /** `token`, `installation` or `app`, when authenticated. */
  identity?: string;
}

/**
 * Options for {@link startGitHubTestServer}.
 *
 * @public
 */
export interface GitHubTestServerOptions {
  /**
   * The organisations; by default `kestrel` with the teams `platform`,
   * `storefront`, `fulfilment` and `last-mile`.
   */
  orgs?: GitHubTestOrg[];
  /** The default token; random (`ghp_...`) when left out. */
  token?: string;
  /** The default token's user; `paved-bot` by default. */
  login?: string;
  /** The default token's scopes; `repo`, `admin:org` and `workflow` by default. */
  scopes?: string[];
  /** GitHub Apps to register. */
  apps?: GitHubTestApp[];
}

/**
 * A GitHub App registered on the test server, with what app-config needs.
 *
 * @public
 */
export interface GitHubTestAppCredentials {
  appId: number;
  installationId: number;
  privateKey: string;
  /** The entry for `integrations.github[].apps`. */
  config: {
    appId: number;
    clientId: string;
    clientSecret: string;
    privateKey: string;
    webhookSecret: string;
  };
}

/**
 * A running GitHub test server.
 *
 * @public
 */
export interface GitHubTestServer {
  /** The web and git root, `http://127.0.0.1:<port>`. */
  url: string;
  /** The REST root as GitHub Enterprise Server has it: `<url>/api/v3`. */
  apiBaseUrl: string;
  /** `127.0.0.1:<port>`, the integration host. */
  host: string;
  /** The default token (a classic personal access token). */
  token: string;
  /** The default token's user. */
  login: string;
  driver: GitHubTestDriver;
  /** Every request received, in order. */
  requests: GitHubTestRequest[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
  /**
   * Registers a GitHub App (a fresh RSA key pair) installed on an
   * organisation (the first one by default).
   */
  createApp(options?: {
    account?: string;
    permissions?: Record<string, 'read' | 'write'>;
    repositorySelection?: 'all' | 'selected';
    repositories?: string[];
  }): GitHubTestAppCredentials;
  /**
   * One `integrations.github` entry for this server: the default token,
   * another token, or apps instead of a token.
   */
  integrationConfig(options?: {
    token?: string | null;
    apps?: GitHubTestAppCredentials[];
    /**
     * The integration host; `127.0.0.1:<port>` by default. With another
     * (e.g. `github.com`), `apiBaseUrl` still points here and git URLs
     * derived from it the GitHub Enterprise way (`<api>/../..`) do too.
     */
    host?: string;
  }): Record<string, unknown>;
  /** App-config data with this server as the GitHub integration, plus `paved` keys. */
  appConfig(options?: {
    token?: string | null;
    apps?: GitHubTestAppCredentials[];
    host?: string;
    paved?: Record<string, unknown>;
  }): Record<string, any>;
  close(): Promise<void>;
}

const DEFAULT_ORG: GitHubTestOrg = {
  login: 'kestrel',
  teams: [
    { slug: 'platform', name: 'Platform' },
    { slug: 'storefront', name: 'Storefront' },
    { slug: 'fulfilment', name: 'Fulfilment' },
    { slug: 'last-mile', name: 'Last mile' },
  ],
};

const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

const IMPLIED_SCOPES: Record<string, string[]> = {
  repo: ['repo', 'public_repo', 'repo:status', 'repo_deployment'],
  'admin:org': ['admin:org', 'write:org', 'read:org'],
  'write:org': ['write:org', 'read:org'],
};

function hasScope(scopes: string[], accepted: string[]): boolean {
  const granted = new Set(scopes.flatMap(s => IMPLIED_SCOPES[s] ?? [s]));
  return accepted.some(s => granted.has(s));
}

function hasPermission(
  granted: Record<string, 'read' | 'write'>,
  needed: string,
): boolean {
  const [name, level] = needed.split('=');
  if (name === 'metadata') return true;
  const have = granted[name];
  return have === 'write' || (have === 'read' && level === 'read');
}

function requestId(): string {
  return crypto.randomBytes(8).toString('hex').toUpperCase().slice(0, 16);
}

function credentialFrom(
  header: string | undefined,
): { scheme: 'token' | 'basic'; value: string } | undefined {
  if (!header) return undefined;
  const [scheme, ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (/^(token|bearer)$/i.test(scheme)) return { scheme: 'token', value };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return {
      scheme: 'basic',
      value: colon >= 0 ? decoded.slice(colon + 1) : decoded,
    };
  }
  return undefined;
}

/**
 * Starts a GitHub test server on 127.0.0.1 and an ephemeral port.
 *
 * @public
 */
export async function startGitHubTestServer(
  options: GitHubTestServerOptions = {},
): Promise<GitHubTestServer> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'github-test-'));
  const reposDir = path.join(root, 'repos');
  const driver = new GitHubTestDriver(reposDir);
  for (const org of options.orgs ?? [DEFAULT_ORG]) driver.addOrg(org);
  const token =
    options.token ?? `ghp_${crypto.randomBytes(18).toString('base64url')}`;
  const login = options.login ?? 'paved-bot';
  driver.addToken({ token, login, scopes: options.scopes });
  for (const app of options.apps ?? []) driver.addApp(app);

  const requests: GitHubTestRequest[] = [];
  let urls: Urls = { api: '', web: '' };

  function identify(value: string): Identity | GitHubHttpError {
    if (value.split('.').length === 3 && !value.startsWith('gh')) {
      const keys = new Map(
        [...driver.apps].map(([id, a]) => [id, a.publicKey] as const),
      );
      const appId = verifyAppJwt(value, keys);
      if (!appId) {
        return new GitHubHttpError(
          401,
          'A JSON web token could not be decoded',
          docs.root,
        );
      }
      return { kind: 'app', key: `app:${appId}`, id: Number(appId), appId };
    }
    const installation = driver.installationTokens.get(value);
    if (installation) {
      if (installation.expiresAt < Date.now()) {
        return new GitHubHttpError(401, 'Bad credentials', docs.root);
      }
      const app = driver.apps.get(String(installation.appId))?.app;
      return {
        kind: 'installation',
        key: `installation:${installation.installationId}`,
        id: installation.installationId,
        login: `${appSlug(app ?? { appId: installation.appId })}[bot]`,
        installation,
      };
    }
    const classic = driver.tokens.get(value);
    if (classic) {
      const user = driver.addUser(classic.login);
      return {
        kind: 'token',
        key: value,
        id: user.id,
        login: classic.login,
        user,
        scopes: classic.scopes,
      };
    }
    return new GitHubHttpError(401, 'Bad credentials', docs.root);
  }

  function rateHeaders(identity: Identity | undefined): Record<string, string> {
    if (!identity) return {};
    const state = budgetOf(identity);
    return {
      'x-ratelimit-limit': String(state.limit),
      'x-ratelimit-remaining': String(Math.max(state.remaining, 0)),
      'x-ratelimit-used': String(state.limit - Math.max(state.remaining, 0)),
      'x-ratelimit-reset': String(state.reset),
      'x-ratelimit-resource': 'core',
    };
  }

  function budgetOf(identity: Identity) {
    const nowSeconds = Math.floor(Date.now() / 1000);
    let state = driver.rateLimits.get(identity.key);
    if (!state || state.reset <= nowSeconds) {
      state = {
        limit: state?.limit ?? driver.defaultRateLimit,
        remaining: state?.limit ?? driver.defaultRateLimit,
        reset: nowSeconds + 3600,
      };
      driver.rateLimits.set(identity.key, state);
    }
    return state;
  }

  function send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ) {
    if (Buffer.isBuffer(body)) {
      // A raw media type (file contents): the handler names its type.
      res.writeHead(status, {
        ...headers,
        'content-length': String(body.length),
      });
      res.end(body);
      return;
    }
    const payload =
      body === undefined || status === 204 ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      ...(payload
        ? {
            'content-type': 'application/json; charset=utf-8',
            'content-length': String(Buffer.byteLength(payload)),
          }
        : {}),
    });
    res.end(payload);
  }

  function contentLimitRetryAfter(identity: Identity): number | undefined {
    const limits = driver.contentLimits;
    if (!limits) return undefined;
    const nowMs = Date.now();
    const times = (driver.writeTimes.get(identity.key) ?? []).filter(
      t => t > nowMs - 3600_000,
    );
    driver.writeTimes.set(identity.key, times);
    const lastMinute = times.filter(t => t > nowMs - 60_000);
    if (lastMinute.length >= limits.perMinute) {
      return Math.ceil((lastMinute[0] + 60_000 - nowMs) / 1000);
    }
    if (times.length >= limits.perHour) {
      return Math.ceil((times[0] + 3600_000 - nowMs) / 1000);
    }
    times.push(nowMs);
    return undefined;
  }

  async function handleRest(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    record: GitHubTestRequest,
  ) {
    const method = req.method ?? 'GET';
    const restPath = record.path;
    const rid = requestId();
    const baseHeaders: Record<string, string> = {
      'x-github-request-id': rid,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
    };
    const raw = await readBody(req);
    let identity: Identity | undefined;
    // What the matched endpoint accepts, sent with every answer to a token.
    let acceptedScopes: string | undefined;
    const reply = (
      status: number,
      body: unknown,
      headers: Record<string, string> = {},
    ) => {
      record.status = status;
      send(res, status, body, {
        ...baseHeaders,
        ...rateHeaders(identity),
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
    };
    const fail = (error: GitHubHttpError) =>
      reply(error.status, error.body(), error.headers);

    const match = matchRoute(method, restPath);
    record.route = match
      ? `${method} ${match.route.path}`
      : `${method} ${restPath}`;
    if (match) {
      acceptedScopes =
        match.route.scopeDenial?.acceptedHeader ??
        match.route.scopes.join(', ');
    }

    // The rate limit endpoint neither needs a budget nor spends one.
    if (method === 'GET' && restPath === '/rate_limit') {
      const credential = credentialFrom(req.headers.authorization);
      const who = credential ? identify(credential.value) : undefined;
      if (who && !(who instanceof GitHubHttpError)) identity = who;
      const core = identity
        ? budgetOf(identity)
        : {
            limit: 60,
            remaining: 60,
            reset: Math.floor(Date.now() / 1000) + 3600,
          };
      const resource = {
        limit: core.limit,
        remaining: core.remaining,
        reset: core.reset,
        used: core.limit - core.remaining,
        resource: 'core',
      };
      reply(200, { resources: { core: resource }, rate: resource });
      return;
    }

    const credential = credentialFrom(req.headers.authorization);
    if (!credential) {
      fail(new GitHubHttpError(401, 'Requires authentication', docs.root));
      return;
    }
    const who = identify(credential.value);
    if (who instanceof GitHubHttpError) {
      fail(who);
      return;
    }
    identity = who;
    record.identity = identity.kind;

    const budget = budgetOf(identity);
    if (budget.remaining <= 0) {
      fail(
        new GitHubHttpError(
          driver.rateLimitStatus,
          primaryRateLimitMessage(
            identity.kind === 'token' ? 'user' : 'installation',
            identity.id,
          ),
          docs.rateLimit,
        ),
      );
      return;
    }
    budget.remaining -= 1;

    const fault = driver.faults.find(
      f =>
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string'
          ? f.path === restPath
          : f.path.test(restPath)),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0)
        driver.faults.splice(driver.faults.indexOf(fault), 1);
      if (fault.dropConnection) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      const status = fault.status ?? 502;
      fail(
        new GitHubHttpError(
          status,
          fault.message ?? (status >= 500 ? 'Server Error' : 'Fault injected'),
          match?.route.docs ?? docs.root,
        ),
      );
      return;
    }

    const secondary = driver.secondary;
    if (
      secondary &&
      secondary.remaining > 0 &&
      (!secondary.writesOnly || record.contentCreating)
    ) {
      secondary.remaining -= 1;
      if (secondary.remaining <= 0) driver.secondary = undefined;
      fail(
        new GitHubHttpError(
          secondary.status,
          secondaryRateLimitMessage(rid),
          docs.secondaryRateLimit,
          undefined,
          secondary.retryAfter === undefined
            ? {}
            : { 'retry-after': String(secondary.retryAfter) },
        ),
      );
      return;
    }
    if (record.contentCreating) {
      const retryAfter = contentLimitRetryAfter(identity);
      if (retryAfter !== undefined) {
        fail(
          new GitHubHttpError(
            403,
            secondaryRateLimitMessage(rid),
            docs.secondaryRateLimit,
            undefined,
            { 'retry-after': String(retryAfter) },
          ),
        );
        return;
      }
    }

    if (!match) {
      fail(new GitHubHttpError(404, 'Not Found', docs.root));
      return;
    }
    const { route, params } = match;
    if (route.auth === 'jwt' && identity.kind !== 'app') {
      fail(
        new GitHubHttpError(
          401,
          'A JSON web token could not be decoded',
          route.docs,
        ),
      );
      return;
    }
    if (route.auth !== 'jwt' && identity.kind === 'app') {
      fail(
        new GitHubHttpError(
          403,
          'Resource not accessible by integration',
          route.docs,
        ),
      );
      return;
    }
    if (
      identity.kind === 'token' &&
      route.scopes.length > 0 &&
      !hasScope(identity.scopes!, route.scopes)
    ) {
      // GitHub answers a classic token without the scope 404, so as not to
      // reveal private resources (docs: "Troubleshooting the REST API").
      const denial = route.scopeDenial;
      fail(
        new GitHubHttpError(
          denial?.status ?? 404,
          denial?.message ?? 'Not Found',
          route.docs,
        ),
      );
      return;
    }
    if (
      identity.kind === 'installation' &&
      route.permission &&
      !hasPermission(identity.installation!.permissions, route.permission)
    ) {
      fail(
        new GitHubHttpError(
          403,
          'Resource not accessible by integration',
          route.docs,
          undefined,
          { 'x-accepted-github-permissions': route.permission },
        ),
      );
      return;
    }

    let repo: RepoState | undefined;
    if (route.repo) {
      repo = driver.repo(params.owner, params.repo);
      const inst = identity.installation;
      const visible =
        repo &&
        (!inst ||
          (inst.account.toLowerCase() === repo.owner.toLowerCase() &&
            (inst.repositorySelection === 'all' ||
              (inst.repositories ?? []).includes(repo.name))));
      if (!repo || !visible) {
        fail(new GitHubHttpError(404, 'Not Found', route.docs));
        return;
      }
      if (repo.transient.notFound > 0) {
        repo.transient.notFound -= 1;
        fail(new GitHubHttpError(404, 'Not Found', route.docs));
        return;
      }
      if (repo.transient.unprocessable > 0) {
        repo.transient.unprocessable -= 1;
        // What GitHub answers while a new repository propagates is not
        // documented; the reports show 422 Validation Failed.
        fail(
          new GitHubHttpError(422, 'Validation Failed', route.docs, [
            {
              resource: 'Repository',
              code: 'unprocessable',
              message: 'Repository is not ready yet',
            },
          ]),
        );
        return;
      }
    }

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        fail(new GitHubHttpError(400, 'Problems parsing JSON', route.docs));
        return;
      }
    }
    const restReq: RestRequest = {
      method,
      path: restPath,
      params,
      query: url.searchParams,
      headers: req.headers,
      body,
      identity,
      urls,
      driver,
      repo,
    };
    try {
      const out = await route.handler(restReq);
      reply(out.status, out.body, out.headers);
    } catch (error) {
      if (error instanceof GitHubHttpError) {
        fail(error);
      } else {
        reply(500, errorBody(500, String(error), route.docs));
      }
    }
  }

  async function handleGit(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    m: RegExpExecArray,
    record: GitHubTestRequest,
  ) {
    const [, owner, name, op] = m;
    const service =
      op === 'info/refs' ? url.searchParams.get('service') ?? '' : op;
    const push = service === 'git-receive-pack';
    record.route = `GIT ${req.method} ${
      op === 'info/refs' ? `info/refs?service=${service}` : op
    }`;
    const body = await readBody(req);
    const text = (status: number, message: string, headers = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(message);
    };
    const credential = credentialFrom(req.headers.authorization);
    if (!credential) {
      text(401, '', { 'www-authenticate': 'Basic realm="GitHub"' });
      return;
    }
    const identity = identify(credential.value);
    if (identity instanceof GitHubHttpError || identity.kind === 'app') {
      text(
        401,
        'Invalid username or token. Password authentication is not supported for Git operations.\n',
        { 'www-authenticate': 'Basic realm="GitHub"' },
      );
      return;
    }
    record.identity = identity.kind;
    const repo = driver.repo(owner, name);
    const inst = identity.installation;
    if (
      !repo ||
      (inst &&
        (inst.account.toLowerCase() !== repo.owner.toLowerCase() ||
          (inst.repositorySelection === 'selected' &&
            !(inst.repositories ?? []).includes(repo.name))))
    ) {
      text(404, 'Repository not found.\n');
      return;
    }
    // Without read access the repository is not there; read but not write
    // is a refused push.
    const readable =
      identity.kind === 'token'
        ? hasScope(identity.scopes!, ['repo'])
        : hasPermission(inst!.permissions, 'contents=read');
    if (!readable) {
      text(404, 'Repository not found.\n');
      return;
    }
    if (
      push &&
      identity.kind === 'installation' &&
      !hasPermission(inst!.permissions, 'contents=write')
    ) {
      text(
        403,
        `Permission to ${repo.owner}/${repo.name}.git denied to ${identity.login}.\n`,
      );
      return;
    }

    const before = push ? await listBranches(repo.gitDir) : undefined;
    const env: Record<string, string> = {
      GH_TEST_WORKFLOW_SCOPE: workflowAllowed({ identity }) ? '1' : '0',
      GH_TEST_ACTOR: identity.kind === 'token' ? 'token' : 'app',
    };
    if (push) {
      const refs = {
        pr: [] as string[],
        noforce: [] as string[],
        nodelete: [] as string[],
      };
      const names = new Set([...(before?.keys() ?? []), repo.defaultBranch]);
      for (const branch of names) {
        const rules = driver.branchRules(repo, branch);
        if (rules.pullRequest) refs.pr.push(`refs/heads/${branch}`);
        if (rules.nonFastForward) refs.noforce.push(`refs/heads/${branch}`);
        if (rules.deletion) refs.nodelete.push(`refs/heads/${branch}`);
      }
      env.GH_TEST_PR_REFS = refs.pr.join(' ');
      env.GH_TEST_NOFORCE_REFS = refs.noforce.join(' ');
      env.GH_TEST_NODELETE_REFS = refs.nodelete.join(' ');
    }

    const failure =
      push && req.method === 'POST' ? repo.failNextPush : undefined;
    if (failure) repo.failNextPush = undefined;
    // The answer starts and the connection dies: the client cannot retry
    // the request silently, as curl does when a connection dies unanswered.
    const cut = () => {
      record.status = 0;
      res.writeHead(200, {
        'content-type': 'application/x-git-receive-pack-result',
      });
      res.write('0030\x01000eunpack ok\n');
      setTimeout(() => req.socket.destroy(), 20);
    };
    if (failure === 'before-apply') {
      cut();
      return;
    }
    const out = await runGitHttpBackend({
      req,
      body,
      projectRoot: path.join(reposDir, repo.owner.toLowerCase()),
      pathInfo: `/${repo.name.toLowerCase()}.git/${op}`,
      query: url.search.replace(/^\?/, ''),
      remoteUser: identity.login ?? 'git',
      env,
    });
    if (push && req.method === 'POST') {
      const after = await listBranches(repo.gitDir);
      const added = [...after.keys()].filter(b => !before?.has(b));
      if (!after.has(repo.defaultBranch) && added.length > 0) {
        // GitHub makes the first branch pushed to an empty repository its default.
        await setDefaultBranch(repo, added[0]);
      }
      if ([...after].some(([b, sha]) => before?.get(b) !== sha)) {
        repo.pushedAt = timestamp();
      }
    }
    if (failure === 'after-apply') {
      cut();
      return;
    }
    record.status = out.status;
    res.writeHead(out.status, {
      ...out.headers,
      'content-length': String(out.body.length),
    });
    res.end(out.body);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const gitMatch = GIT_PATH.exec(url.pathname);
    const method = req.method ?? 'GET';
    const restPath = url.pathname.replace(/^\/api\/v3(?=\/|$)/, '') || '/';
    const record: GitHubTestRequest = {
      kind: gitMatch ? 'git' : 'rest',
      method,
      path: gitMatch ? url.pathname : restPath,
      route: '',
      contentCreating:
        !gitMatch &&
        ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method) &&
        !/^\/app\/installations\/[^/]+\/access_tokens$/.test(restPath),
      status: 0,
    };
    requests.push(record);
    const handle = gitMatch
      ? handleGit(req, res, url, gitMatch, record)
      : handleRest(req, res, url, record);
    handle.catch(error => {
      record.status = 500;
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
      }
      res.end(JSON.stringify(errorBody(500, String(error), docs.root)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  urls = { api: `${base}/api/v3`, web: base };

  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  let nextAppId = 100;
  const testServer: GitHubTestServer = {
    url: base,
    apiBaseUrl: urls.api,
    host: `127.0.0.1:${port}`,
    token,
    login,
    driver,
    requests,
    resetRequests() {
      requests.length = 0;
    },
    createApp(appOptions = {}) {
      const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      nextAppId += 1;
      const appId = nextAppId;
      const installationId = driver.newId();
      const account =
        appOptions.account ?? [...driver.orgs.values()][0]?.login ?? 'kestrel';
      driver.addApp({
        appId,
        publicKey,
        slug: `paved-test-${appId}`,
        installations: [
          {
            id: installationId,
            account,
            permissions: appOptions.permissions,
            repositorySelection: appOptions.repositorySelection,
            repositories: appOptions.repositories,
          },
        ],
      });
      return {
        appId,
        installationId,
        privateKey,
        config: {
          appId,
          clientId: `Iv1.${appId}`,
          clientSecret: `secret-${appId}`,
          privateKey,
          webhookSecret: `webhook-${appId}`,
        },
      };
    },
    integrationConfig(integration = {}) {
      const chosen =
        integration.token === null ? undefined : integration.token ?? token;
      return {
        host: integration.host ?? `127.0.0.1:${port}`,
        apiBaseUrl: urls.api,
        rawBaseUrl: `${base}/raw`,
        ...(chosen && !integration.apps ? { token: chosen } : {}),
        ...(integration.apps
          ? { apps: integration.apps.map(a => a.config) }
          : {}),
      };
    },
    appConfig(config = {}) {
      return {
        integrations: {
          github: [
            testServer.integrationConfig({
              token: config.token,
              apps: config.apps,
              host: config.host,
            }),
          ],
        },
        ...(config.paved ? { paved: config.paved } : {}),
      };
    },
    async close() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  return testServer;
}
