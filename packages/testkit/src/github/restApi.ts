/**
 * The REST endpoints of the GitHub test server: a route table (method, path
 * template, the scope a classic token needs, the permission an app
 * installation needs) and the handlers, which read and change the driver's
 * state and answer with GitHub's shapes and status codes.
 */
import crypto from 'node:crypto';
import sodium from 'libsodium-wrappers';
import {
  DEFAULT_INSTALLATION_PERMISSIONS,
  GitHubTestDriver,
} from './GitHubTestDriver';
import {
  GitHubHttpError,
  UPGRADE_MESSAGE,
  docs,
  notFound,
  notSupplied,
  validationFailed,
} from './responses';
import {
  Urls,
  appSlug,
  branchProtectionJson,
  environmentJson,
  fileJson,
  orgJson,
  orgOwnerJson,
  permissionsFor,
  repoJson,
  roleName,
  rulesetSummaryJson,
  teamJson,
  timestamp,
  userJson,
} from './serialize';
import {
  commitFiles,
  listBranches,
  readBlob,
  revParse,
  setDefaultBranch,
  git as runGit,
} from './gitCli';
import {
  EnvironmentState,
  InstallationTokenState,
  OrgState,
  RepoState,
  TeamState,
  UserState,
} from './state';

/** Who a request authenticated as. @internal */
export interface Identity {
  kind: 'token' | 'installation' | 'app';
  /** The key its rate limit budget is kept under (the token itself). */
  key: string;
  /** Numeric id named in rate limit messages. */
  id: number;
  login?: string;
  user?: UserState;
  scopes?: string[];
  installation?: InstallationTokenState;
  appId?: string;
}

/** What a handler gets. @internal */
export interface RestRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  identity: Identity;
  urls: Urls;
  driver: GitHubTestDriver;
  repo?: RepoState;
  org?: OrgState;
}

/** What a handler answers. @internal */
export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One endpoint. @internal */
export interface Route {
  method: string;
  path: string;
  docs: string;
  /** Classic token scopes accepted (any of them); none needed when empty. */
  scopes: string[];
  /**
   * What a classic token without those scopes gets, when not GitHub's usual
   * 404 Not Found; and the `x-accepted-oauth-scopes` GitHub sends for the
   * endpoint, when it does not name its scopes there.
   */
  scopeDenial?: { status: 403; message: string; acceptedHeader: string };
  /** `permission=level` an installation needs. */
  permission?: string;
  /** Who may call: tokens and installations (default), or the app's JWT. */
  auth?: 'token' | 'jwt';
  /** The route acts on `{owner}/{repo}`: it must exist and be accessible. */
  repo?: boolean;
  handler(req: RestRequest): Promise<RestReply> | RestReply;
}

const REPO_NAME_MAX = 100;
const PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'];
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TOPIC = /^[a-z0-9][a-z0-9-]{0,49}$/;

function teamOf(req: RestRequest, slug: string): TeamState {
  const team = req.org?.teams.get(slug.toLowerCase());
  if (!team) throw notFound(docs.teams);
  return team;
}

function orgOf(req: RestRequest, login: string, doc: string): OrgState {
  const org = req.driver.orgs.get(login.toLowerCase());
  if (!org) throw notFound(doc);
  return org;
}

function ownerJsonOf(req: RestRequest, repo: RepoState) {
  const org = req.driver.orgs.get(repo.owner.toLowerCase());
  if (org) return orgOwnerJson(org, req.urls);
  return userJson(req.driver.addUser(repo.owner), req.urls);
}

/** The role the caller has on a repository, for `permissions`. */
function callerRole(req: RestRequest, repo: RepoState): string {
  if (req.identity.kind !== 'token') return 'admin';
  return repo.collaborators.get(req.identity.login ?? '') ?? 'admin';
}

async function repoBody(req: RestRequest, repo: RepoState) {
  const branches = await listBranches(repo.gitDir);
  return repoJson(
    repo,
    req.urls,
    ownerJsonOf(req, repo),
    callerRole(req, repo),
    { size: branches.size > 0 ? 1 : 0 },
  );
}

function requireBody(req: RestRequest, doc: string): Record<string, any> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new GitHubHttpError(400, 'Problems parsing JSON', doc);
  }
  return req.body;
}

const now = () => timestamp();

function paginate<T>(req: RestRequest, items: T[], maxPerPage = 100) {
  const perPage = Math.min(
    Number(req.query.get('per_page') ?? 30) || 30,
    maxPerPage,
  );
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  if (page < last) {
    const link = (p: number) => {
      const q = new URLSearchParams(req.query);
      q.set('per_page', String(perPage));
      q.set('page', String(p));
      return `<${req.urls.api}${req.path}?${q}>`;
    };
    headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
  }
  return { slice, headers };
}

/**
 * A page of a list as the answer: the items themselves, or under `key`
 * with their `total_count` as the Actions and environment lists answer.
 */
function listReply<T>(
  req: RestRequest,
  items: T[],
  options: { key?: string; maxPerPage?: number } = {},
): RestReply {
  const { slice, headers } = paginate(req, items, options.maxPerPage);
  return {
    status: 200,
    body: options.key
      ? { total_count: items.length, [options.key]: slice }
      : slice,
    headers,
  };
}

/** GitHub's 409 for what needs a commit, on a repository without any. */
async function assertNotEmpty(repo: RepoState, doc: string) {
  const branches = await listBranches(repo.gitDir);
  if (branches.size === 0) {
    throw new GitHubHttpError(409, 'Git Repository is empty.', doc);
  }
}

/** A 422 about the repository name, as GitHub words its errors. */
function nameError(message: string) {
  return { resource: 'Repository', code: 'custom', field: 'name', message };
}

/** A secret as GitHub lists it: never its value. */
function secretJson(
  name: string,
  secret: { createdAt: string; updatedAt: string },
) {
  return { name, created_at: secret.createdAt, updated_at: secret.updatedAt };
}

/** A variable as GitHub lists it, with its value. */
function variableJson(
  name: string,
  variable: { value: string; createdAt: string; updatedAt: string },
) {
  return {
    name,
    value: variable.value,
    created_at: variable.createdAt,
    updated_at: variable.updatedAt,
  };
}

/** Secret and variable names: GitHub's rule and its wording. */
function assertActionsName(
  name: string,
  resource: 'Secret' | 'Variable',
  doc: string,
) {
  if (!SECRET_NAME.test(name) || name.startsWith('GITHUB_')) {
    throw validationFailed(doc, [
      {
        resource,
        field: 'name',
        code: 'invalid',
        message: `${resource} names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_), must start with a letter or underscore, and must not start with the GITHUB_ prefix.`,
      },
    ]);
  }
}

/** Sanitises a repository name as GitHub does: other characters become '-'. */
function sanitizeRepoName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '-');
}

async function createRepo(
  req: RestRequest,
  ownerLogin: string,
  ownerType: 'Organization' | 'User',
  doc: string,
): Promise<RestReply> {
  const body = requireBody(req, doc);
  if (typeof body.name !== 'string' || body.name.length === 0) {
    throw notSupplied('name', doc);
  }
  const name = sanitizeRepoName(body.name);
  if (name.length > REPO_NAME_MAX) {
    throw validationFailed(doc, [
      nameError(`name is too long (maximum is ${REPO_NAME_MAX} characters)`),
    ]);
  }
  if (name === '.' || name === '..') {
    throw validationFailed(doc, [nameError(`name ${name} is reserved`)]);
  }
  if (req.driver.repo(ownerLogin, name)) {
    // The message captured from GitHub (2025); older answers said "Validation Failed".
    throw new GitHubHttpError(422, 'Repository creation failed.', doc, [
      nameError('name already exists on this account'),
    ]);
  }
  const visibility: string =
    body.visibility ?? (body.private === false ? 'public' : 'private');
  if (!['public', 'private', 'internal'].includes(visibility)) {
    throw validationFailed(doc, [
      {
        resource: 'Repository',
        code: 'invalid',
        field: 'visibility',
      },
    ]);
  }
  const org = req.driver.orgs.get(ownerLogin.toLowerCase());
  const repo = await req.driver.insertRepo({
    owner: org?.login ?? ownerLogin,
    ownerType,
    name,
    private: visibility !== 'public',
    visibility,
    description: typeof body.description === 'string' ? body.description : null,
    defaultBranch: org?.defaultBranch ?? 'main',
  });
  // GitHub makes the member who creates an organisation repository its admin.
  if (req.identity.kind === 'token' && req.identity.login) {
    repo.collaborators.set(req.identity.login, 'admin');
  }
  repo.transient = { ...req.driver.transientAfterCreate };
  return {
    status: 201,
    body: await repoBody(req, repo),
    headers: {
      location: `${req.urls.api}/repos/${repo.owner}/${repo.name}`,
    },
  };
}

function assertFeature(
  support: 'available' | 'upgrade-required' | 'not-found',
  repo: RepoState,
  doc: string,
) {
  if (support === 'not-found') throw notFound(doc);
  if (support === 'upgrade-required' && repo.private) {
    throw new GitHubHttpError(403, UPGRADE_MESSAGE, doc);
  }
}

const RULE_TYPES = new Set([
  'creation',
  'update',
  'deletion',
  'required_linear_history',
  'required_deployments',
  'required_signatures',
  'pull_request',
  'required_status_checks',
  'non_fast_forward',
  'commit_message_pattern',
  'commit_author_email_pattern',
  'committer_email_pattern',
  'branch_name_pattern',
  'tag_name_pattern',
  'merge_queue',
  'code_scanning',
  'copilot_code_review',
]);

function validateRuleset(
  body: Record<string, any>,
  doc: string,
  repo: RepoState,
  exceptId?: number,
) {
  const errors: string[] = [];
  if (typeof body.name !== 'string' || !body.name) {
    throw notSupplied('name', doc);
  }
  if (!['disabled', 'active', 'evaluate'].includes(body.enforcement)) {
    if (body.enforcement === undefined) throw notSupplied('enforcement', doc);
    errors.push(`Invalid property /enforcement: \`${body.enforcement}\``);
  }
  if (body.target && !['branch', 'tag', 'push'].includes(body.target)) {
    errors.push(`Invalid property /target: \`${body.target}\``);
  }
  for (const [i, rule] of (body.rules ?? []).entries()) {
    if (!rule || !RULE_TYPES.has(rule.type)) {
      errors.push(
        `Invalid property /rules/${i}: data matches no possible input`,
      );
    }
    if (
      rule?.type === 'pull_request' &&
      typeof rule.parameters?.required_approving_review_count !== 'number'
    ) {
      errors.push(
        `Invalid property /rules/${i}/parameters: "required_approving_review_count" wasn't supplied.`,
      );
    }
    if (
      rule?.type === 'required_status_checks' &&
      !Array.isArray(rule.parameters?.required_status_checks)
    ) {
      errors.push(
        `Invalid property /rules/${i}/parameters: "required_status_checks" wasn't supplied.`,
      );
    }
  }
  for (const existing of repo.rulesets.values()) {
    if (existing.id !== exceptId && existing.name === body.name) {
      errors.push('Name must be unique');
    }
  }
  if (errors.length) throw validationFailed(doc, errors);
}

function rulesetFromBody(
  body: Record<string, any>,
  repo: RepoState,
  urls: Urls,
  id: number,
  createdAt: string,
) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id,
    name: body.name,
    target: body.target ?? 'branch',
    source_type: 'Repository',
    source: full,
    enforcement: body.enforcement,
    bypass_actors: body.bypass_actors ?? [],
    conditions: body.conditions ?? {
      ref_name: { include: [], exclude: [] },
    },
    rules: body.rules ?? [],
    node_id: Buffer.from(`RepositoryRuleset:${id}`).toString('base64'),
    _links: {
      self: { href: `${urls.api}/repos/${full}/rulesets/${id}` },
      html: { href: `${urls.web}/${full}/rules/${id}` },
    },
    created_at: createdAt,
    updated_at: now(),
    current_user_can_bypass: 'never',
  };
}

/** An environment with its reviewers as users and teams. */
function environmentBody(
  req: RestRequest,
  repo: RepoState,
  env: EnvironmentState,
) {
  return environmentJson(env, repo, req.urls, r => {
    if (r.type === 'Team') {
      const org = req.driver.orgs.get(repo.owner.toLowerCase())!;
      const team = [...org.teams.values()].find(t => t.id === r.id)!;
      return teamJson(team, org, req.urls);
    }
    const user = [...req.driver.users.values()].find(u => u.id === r.id)!;
    return userJson(user, req.urls);
  });
}

/** The protection a branch has, at its URL. */
function protectionBody(
  req: RestRequest,
  repo: RepoState,
  branch: string,
  body: Record<string, any>,
) {
  return branchProtectionJson(
    body,
    `${req.urls.api}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`,
  );
}

async function encryptedValueOpens(
  repo: RepoState,
  encrypted: string,
): Promise<boolean> {
  if (!repo.keyPair) return false;
  await sodium.ready;
  try {
    sodium.crypto_box_seal_open(
      sodium.from_base64(encrypted, sodium.base64_variants.ORIGINAL),
      repo.keyPair.publicKey,
      repo.keyPair.privateKey,
    );
    return true;
  } catch {
    return false;
  }
}

function headBranchOf(head: string): { owner?: string; branch: string } {
  const colon = head.indexOf(':');
  return colon < 0
    ? { branch: head }
    : { owner: head.slice(0, colon), branch: head.slice(colon + 1) };
}

async function pullJson(req: RestRequest, repo: RepoState, pull: any) {
  const full = `${repo.owner}/${repo.name}`;
  const base = await repoBody(req, repo);
  return {
    url: `${req.urls.api}/repos/${full}/pulls/${pull.number}`,
    id: pull.id,
    node_id: Buffer.from(`PullRequest:${pull.id}`).toString('base64'),
    html_url: `${req.urls.web}/${full}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: pull.user,
    body: pull.body,
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    closed_at: null,
    merged_at: null,
    draft: pull.draft,
    head: {
      label: `${repo.owner}:${pull.head.ref}`,
      ref: pull.head.ref,
      sha:
        (await revParse(repo.gitDir, `refs/heads/${pull.head.ref}`)) ??
        pull.head.sha,
      repo: base,
    },
    base: {
      label: `${repo.owner}:${pull.base.ref}`,
      ref: pull.base.ref,
      sha:
        (await revParse(repo.gitDir, `refs/heads/${pull.base.ref}`)) ??
        pull.base.sha,
      repo: base,
    },
    merged: false,
    mergeable: null,
    maintainer_can_modify: Boolean(pull.maintainer_can_modify),
  };
}

/** The REST endpoints, in matching order. @internal */
export const routes: Route[] = [
  // users and organisations
  {
    method: 'GET',
    path: '/user',
    docs: docs.user,
    scopes: [],
    handler(req) {
      if (!req.identity.user) {
        throw new GitHubHttpError(
          403,
          'Resource not accessible by integration',
          docs.user,
        );
      }
      return { status: 200, body: userJson(req.identity.user, req.urls) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}',
    docs: docs.users,
    scopes: [],
    handler(req) {
      const user = req.driver.users.get(req.params.username.toLowerCase());
      if (!user) throw notFound(docs.users);
      return { status: 200, body: userJson(user, req.urls) };
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}',
    docs: docs.org,
    scopes: [],
    handler(req) {
      return {
        status: 200,
        body: orgJson(orgOf(req, req.params.org, docs.org), req.urls),
      };
    },
  },
  // repositories
  {
    method: 'POST',
    path: '/orgs/{org}/repos',
    docs: docs.createOrgRepo,
    scopes: ['repo', 'public_repo'],
    permission: 'administration=write',
    handler(req) {
      const org = orgOf(req, req.params.org, docs.createOrgRepo);
      return createRepo(req, org.login, 'Organization', docs.createOrgRepo);
    },
  },
  {
    method: 'POST',
    path: '/user/repos',
    docs: docs.createUserRepo,
    scopes: ['repo', 'public_repo'],
    handler(req) {
      if (!req.identity.login || req.identity.kind !== 'token') {
        throw new GitHubHttpError(
          403,
          'Resource not accessible by integration',
          docs.createUserRepo,
        );
      }
      return createRepo(req, req.identity.login, 'User', docs.createUserRepo);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    docs: docs.getRepo,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    async handler(req) {
      return { status: 200, body: await repoBody(req, req.repo!) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}',
    docs: docs.updateRepo,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.updateRepo);
      if (typeof body.description === 'string' || body.description === null) {
        repo.description = body.description;
      }
      if (typeof body.archived === 'boolean') repo.archived = body.archived;
      if (typeof body.visibility === 'string') {
        repo.visibility = body.visibility;
        repo.private = body.visibility !== 'public';
      } else if (typeof body.private === 'boolean') {
        repo.private = body.private;
        repo.visibility = body.private ? 'private' : 'public';
      }
      if (typeof body.default_branch === 'string') {
        const branches = await listBranches(repo.gitDir);
        if (!branches.has(body.default_branch)) {
          throw validationFailed(docs.updateRepo, [
            {
              resource: 'Repository',
              code: 'invalid',
              field: 'default_branch',
              message: `The branch ${body.default_branch} was not found. Please push that ref first or create it via the Git Data API.`,
            },
          ]);
        }
        await setDefaultBranch(repo, body.default_branch);
      }
      repo.updatedAt = now();
      return { status: 200, body: await repoBody(req, repo) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}',
    docs: docs.deleteRepo,
    scopes: ['delete_repo'],
    // GitHub names no scope for this endpoint (cli/cli#4513), and answers a
    // token without delete_repo as one without admin rights.
    scopeDenial: {
      status: 403,
      message: 'Must have admin rights to Repository.',
      acceptedHeader: '',
    },
    permission: 'administration=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      if (callerRole(req, repo) !== 'admin') {
        throw new GitHubHttpError(
          403,
          'Must have admin rights to Repository.',
          docs.deleteRepo,
        );
      }
      await req.driver.removeRepo(repo);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/topics',
    docs: docs.getTopics,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      return { status: 200, body: { names: [...req.repo!.topics] } };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/topics',
    docs: docs.topics,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      const body = requireBody(req, docs.topics);
      if (!Array.isArray(body.names)) throw notSupplied('names', docs.topics);
      const names = body.names.map((n: unknown) => String(n).toLowerCase());
      const invalid = names.filter((n: string) => !TOPIC.test(n));
      if (invalid.length || names.length > 20) {
        throw validationFailed(docs.topics, [
          {
            resource: 'Repository',
            field: 'topics',
            code: 'invalid',
            message:
              names.length > 20
                ? 'Too many topics: a repository can have up to 20.'
                : `${invalid.join(', ')} ${
                    invalid.length > 1 ? 'are' : 'is'
                  } invalid. Topics must start with a lowercase letter or number, consist of 50 characters or less, and can include hyphens.`,
          },
        ]);
      }
      req.repo!.topics = [...new Set<string>(names)];
      return { status: 200, body: { names: [...req.repo!.topics] } };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits',
    docs: docs.listCommits,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      await assertNotEmpty(repo, docs.listCommits);
      const ref = req.query.get('sha') ?? repo.defaultBranch;
      const perPage = Math.min(
        Number(req.query.get('per_page') ?? 30) || 30,
        100,
      );
      // One commit a line: sha, parents, tree, author, committer, subject.
      const out = await runGit(repo.gitDir, [
        'log',
        '--format=%H%x00%P%x00%T%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B%x1e',
        '-n',
        String(perPage),
        ref,
      ]).catch(() => undefined);
      if (!out) throw notFound(docs.listCommits);
      const full = `${repo.owner}/${repo.name}`;
      const api = `${req.urls.api}/repos/${full}`;
      const person = (name: string, email: string, date: string) => ({
        name,
        email,
        date: timestamp(date),
      });
      const body = out
        .toString()
        .split('\x1e')
        .map(record => record.replace(/^\n/, ''))
        .filter(Boolean)
        .map(record => {
          const [sha, parents, tree, an, ae, ad, cn, ce, cd, message] =
            record.split('\x00');
          return {
            sha,
            node_id: Buffer.from(`Commit:${sha}`).toString('base64'),
            commit: {
              author: person(an, ae, ad),
              committer: person(cn, ce, cd),
              message: message.replace(/\n+$/, ''),
              tree: { sha: tree, url: `${api}/git/trees/${tree}` },
              url: `${api}/git/commits/${sha}`,
              comment_count: 0,
            },
            url: `${api}/commits/${sha}`,
            html_url: `${req.urls.web}/${full}/commit/${sha}`,
            // Users are not matched to commit emails here.
            author: null,
            committer: null,
            parents: parents
              .split(' ')
              .filter(Boolean)
              .map(p => ({ sha: p, url: `${api}/commits/${p}` })),
          };
        });
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}',
    docs: docs.branch,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const sha = await revParse(
        repo.gitDir,
        `refs/heads/${req.params.branch}`,
      );
      if (!sha) throw notFound(docs.branch, 'Branch not found');
      return {
        status: 200,
        body: {
          name: req.params.branch,
          commit: {
            sha,
            url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/commits/${sha}`,
          },
          protected: repo.branchProtection.has(req.params.branch),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref+}',
    docs: docs.refs,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      await assertNotEmpty(repo, docs.refs);
      const ref = `refs/${req.params.ref}`;
      const sha = await revParse(repo.gitDir, ref);
      if (!sha) throw notFound(docs.refs);
      return {
        status: 200,
        body: {
          ref,
          node_id: Buffer.from(`Ref:${ref}`).toString('base64'),
          url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}`,
          object: {
            sha,
            type: 'commit',
            url: `${req.urls.api}/repos/${repo.owner}/${repo.name}/git/commits/${sha}`,
          },
        },
      };
    },
  },
  // rulesets
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets',
    docs: docs.listRulesets,
    scopes: ['repo'],
    permission: 'administration=read',
    repo: true,
    handler(req) {
      assertFeature(req.driver.rulesetSupport, req.repo!, docs.listRulesets);
      return listReply(
        req,
        [...req.repo!.rulesets.values()].map(rulesetSummaryJson),
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/rulesets',
    docs: docs.rulesets,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      assertFeature(req.driver.rulesetSupport, repo, docs.rulesets);
      const body = requireBody(req, docs.rulesets);
      validateRuleset(body, docs.rulesets, repo);
      const id = req.driver.newId();
      const ruleset = rulesetFromBody(body, repo, req.urls, id, now());
      repo.rulesets.set(id, ruleset);
      return { status: 201, body: ruleset };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.getRuleset,
    scopes: ['repo'],
    permission: 'administration=read',
    repo: true,
    handler(req) {
      assertFeature(req.driver.rulesetSupport, req.repo!, docs.getRuleset);
      const ruleset = req.repo!.rulesets.get(Number(req.params.id));
      if (!ruleset) throw notFound(docs.getRuleset);
      return { status: 200, body: ruleset };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.updateRuleset,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      assertFeature(req.driver.rulesetSupport, repo, docs.updateRuleset);
      const existing = repo.rulesets.get(Number(req.params.id));
      if (!existing) throw notFound(docs.updateRuleset);
      const body = { ...existing, ...requireBody(req, docs.updateRuleset) };
      validateRuleset(body, docs.updateRuleset, repo, existing.id);
      const ruleset = rulesetFromBody(
        body,
        repo,
        req.urls,
        existing.id,
        existing.created_at,
      );
      repo.rulesets.set(existing.id, ruleset);
      return { status: 200, body: ruleset };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/rulesets/{id}',
    docs: docs.updateRuleset,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      assertFeature(req.driver.rulesetSupport, req.repo!, docs.updateRuleset);
      if (!req.repo!.rulesets.delete(Number(req.params.id))) {
        throw notFound(docs.updateRuleset);
      }
      return { status: 204 };
    },
  },
  // branch protection
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.getBranchProtection,
    scopes: ['repo'],
    permission: 'administration=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      assertFeature(
        req.driver.branchProtectionSupport,
        repo,
        docs.getBranchProtection,
      );
      const branch = req.params.branch;
      if (!(await revParse(repo.gitDir, `refs/heads/${branch}`))) {
        throw notFound(docs.getBranchProtection, 'Branch not found');
      }
      const body = repo.branchProtection.get(branch);
      if (!body)
        throw notFound(docs.getBranchProtection, 'Branch not protected');
      return { status: 200, body: protectionBody(req, repo, branch, body) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      assertFeature(
        req.driver.branchProtectionSupport,
        repo,
        docs.branchProtection,
      );
      const body = requireBody(req, docs.branchProtection);
      for (const field of [
        'required_status_checks',
        'enforce_admins',
        'required_pull_request_reviews',
        'restrictions',
      ]) {
        if (!(field in body)) throw notSupplied(field, docs.branchProtection);
      }
      const branch = req.params.branch;
      if (!(await revParse(repo.gitDir, `refs/heads/${branch}`))) {
        throw notFound(docs.branchProtection, 'Branch not found');
      }
      repo.branchProtection.set(branch, structuredClone(body));
      return { status: 200, body: protectionBody(req, repo, branch, body) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/branches/{branch}/protection',
    docs: docs.branchProtection,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      assertFeature(
        req.driver.branchProtectionSupport,
        req.repo!,
        docs.branchProtection,
      );
      if (!req.repo!.branchProtection.delete(req.params.branch)) {
        throw notFound(docs.branchProtection, 'Branch not protected');
      }
      return { status: 204 };
    },
  },
  // teams
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}',
    docs: docs.teams,
    scopes: ['read:org', 'admin:org', 'write:org'],
    permission: 'members=read',
    handler(req) {
      const org = orgOf(req, req.params.org, docs.teams);
      req.org = org;
      return {
        status: 200,
        body: teamJson(teamOf(req, req.params.team_slug), org, req.urls),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/teams',
    docs: docs.repoTeams,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const org = req.driver.orgs.get(repo.owner.toLowerCase());
      const teams = org
        ? [...repo.teams].map(([slug, permission]) => ({
            ...teamJson(org.teams.get(slug.toLowerCase())!, org, req.urls),
            permission,
            permissions: permissionsFor(permission),
          }))
        : [];
      return listReply(req, teams);
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.checkTeamRepo,
    scopes: ['read:org', 'admin:org', 'write:org'],
    permission: 'members=read',
    repo: true,
    async handler(req) {
      req.org = orgOf(req, req.params.org, docs.checkTeamRepo);
      const team = teamOf(req, req.params.team_slug);
      const permission = req.repo!.teams.get(team.slug);
      if (!permission) throw notFound(docs.checkTeamRepo);
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('application/vnd.github.v3.repository+json')) {
        return {
          status: 200,
          body: {
            ...(await repoBody(req, req.repo!)),
            permissions: permissionsFor(permission),
            role_name: roleName(permission),
          },
        };
      }
      return { status: 204 };
    },
  },
  {
    method: 'PUT',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.teamRepos,
    scopes: ['admin:org'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      req.org = orgOf(req, req.params.org, docs.teamRepos);
      const team = teamOf(req, req.params.team_slug);
      const body = req.body ?? {};
      const permission = body.permission ?? 'push';
      if (!PERMISSIONS.includes(permission)) {
        throw validationFailed(docs.teamRepos, [
          {
            resource: 'TeamRepository',
            code: 'invalid',
            field: 'permission',
            message: `${permission} is not a valid permission`,
          },
        ]);
      }
      req.repo!.teams.set(team.slug, permission);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}',
    docs: docs.teamRepos,
    scopes: ['admin:org'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      req.org = orgOf(req, req.params.org, docs.teamRepos);
      const team = teamOf(req, req.params.team_slug);
      req.repo!.teams.delete(team.slug);
      return { status: 204 };
    },
  },
  // collaborators
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators',
    docs: docs.listCollaborators,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      const users = [...req.repo!.collaborators].map(([login, permission]) => ({
        ...userJson(req.driver.addUser(login), req.urls),
        permissions: permissionsFor(permission),
        role_name: roleName(permission),
      }));
      return listReply(req, users);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    docs: docs.collaboratorPermission,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      const user = req.driver.users.get(req.params.username.toLowerCase());
      if (!user) throw notFound(docs.collaboratorPermission);
      const permission = req.repo!.collaborators.get(user.login);
      // The legacy `permission` field knows only admin, write, read, none.
      const legacy: Record<string, string> = {
        admin: 'admin',
        maintain: 'write',
        push: 'write',
        triage: 'read',
        pull: 'read',
      };
      const simple = permission ? legacy[permission] ?? permission : 'none';
      return {
        status: 200,
        body: {
          permission: simple,
          role_name: permission ? roleName(permission) : 'none',
          user: userJson(user, req.urls),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    docs: docs.listCollaborators,
    scopes: ['repo'],
    permission: 'metadata=read',
    repo: true,
    handler(req) {
      const found = [...req.repo!.collaborators.keys()].some(
        l => l.toLowerCase() === req.params.username.toLowerCase(),
      );
      if (!found) throw notFound(docs.listCollaborators);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    docs: docs.collaborators,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      for (const login of [...req.repo!.collaborators.keys()]) {
        if (login.toLowerCase() === req.params.username.toLowerCase()) {
          req.repo!.collaborators.delete(login);
        }
      }
      return { status: 204 };
    },
  },
  // environments
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments',
    docs: docs.listEnvironments,
    scopes: ['repo'],
    permission: 'actions=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      return listReply(
        req,
        [...repo.environments.values()].map(env =>
          environmentBody(req, repo, env),
        ),
        { key: 'environments' },
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.getEnvironment,
    scopes: ['repo'],
    permission: 'actions=read',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const env = repo.environments.get(req.params.environment_name);
      if (!env) throw notFound(docs.getEnvironment);
      return { status: 200, body: environmentBody(req, repo, env) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const body = req.body ?? {};
      const name = req.params.environment_name;
      const errors: unknown[] = [];
      const waitTimer = body.wait_timer ?? 0;
      if (!Number.isInteger(waitTimer) || waitTimer < 0 || waitTimer > 43200) {
        errors.push({
          resource: 'Environment',
          field: 'wait_timer',
          code: 'invalid',
          message: 'wait_timer must be an integer between 0 and 43200',
        });
      }
      const reviewers: Array<{ type: 'User' | 'Team'; id: number }> = [];
      for (const r of body.reviewers ?? []) {
        const org = req.driver.orgs.get(repo.owner.toLowerCase());
        let known = false;
        if (r?.type === 'Team') {
          known = [...(org?.teams.values() ?? [])].some(t => t.id === r.id);
        } else if (r?.type === 'User') {
          known = [...req.driver.users.values()].some(u => u.id === r.id);
        }
        if (!known) {
          errors.push({
            resource: 'Environment',
            field: 'reviewers',
            code: 'invalid',
            message: `Reviewer ${r?.type} ${r?.id} does not exist`,
          });
        } else {
          reviewers.push({ type: r.type, id: r.id });
        }
      }
      if (reviewers.length > 6) {
        errors.push({
          resource: 'Environment',
          field: 'reviewers',
          code: 'invalid',
          message: 'An environment can have at most 6 reviewers',
        });
      }
      if (errors.length) throw validationFailed(docs.environments, errors);
      if (
        req.driver.environmentProtectionSupport === 'upgrade-required' &&
        repo.private &&
        (waitTimer > 0 || reviewers.length > 0)
      ) {
        throw validationFailed(docs.environments, [
          {
            resource: 'Environment',
            code: 'custom',
            message:
              'Failed to create the environment protection rule. Please ensure the billing plan includes the required protection rules for private repositories.',
          },
        ]);
      }
      const existing = repo.environments.get(name);
      const stamp = now();
      const env = {
        id: existing?.id ?? req.driver.newId(),
        name,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
        wait_timer: waitTimer,
        prevent_self_review: Boolean(body.prevent_self_review),
        reviewers,
        deployment_branch_policy: body.deployment_branch_policy ?? null,
        ruleIds: existing?.ruleIds ?? {
          waitTimer: req.driver.newId(),
          reviewers: req.driver.newId(),
          branchPolicy: req.driver.newId(),
        },
      };
      repo.environments.set(name, env);
      return { status: 200, body: environmentBody(req, repo, env) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/environments/{environment_name}',
    docs: docs.environments,
    scopes: ['repo'],
    permission: 'administration=write',
    repo: true,
    handler(req) {
      if (!req.repo!.environments.delete(req.params.environment_name)) {
        throw notFound(docs.environments);
      }
      return { status: 204 };
    },
  },
  // Actions secrets
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets/public-key',
    docs: docs.secretsKey,
    scopes: ['repo'],
    permission: 'secrets=read',
    repo: true,
    async handler(req) {
      await sodium.ready;
      const pair = await req.driver.keyPairOf(req.repo!);
      return {
        status: 200,
        body: {
          key_id: pair.keyId,
          key: sodium.to_base64(
            pair.publicKey,
            sodium.base64_variants.ORIGINAL,
          ),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets',
    docs: docs.listSecrets,
    scopes: ['repo'],
    permission: 'secrets=read',
    repo: true,
    handler(req) {
      return listReply(
        req,
        [...req.repo!.secrets].map(([name, s]) => secretJson(name, s)),
        { key: 'secrets' },
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.getSecret,
    scopes: ['repo'],
    permission: 'secrets=read',
    repo: true,
    handler(req) {
      const name = req.params.secret_name.toUpperCase();
      const secret = req.repo!.secrets.get(name);
      if (!secret) throw notFound(docs.getSecret);
      return { status: 200, body: secretJson(name, secret) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.secrets,
    scopes: ['repo'],
    permission: 'secrets=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.secrets);
      const name = req.params.secret_name.toUpperCase();
      assertActionsName(name, 'Secret', docs.secrets);
      if (typeof body.encrypted_value !== 'string') {
        throw notSupplied('encrypted_value', docs.secrets);
      }
      if (typeof body.key_id !== 'string') {
        throw notSupplied('key_id', docs.secrets);
      }
      if (!repo.keyPair || body.key_id !== repo.keyPair.keyId) {
        throw new GitHubHttpError(
          422,
          'Bad request - key_id does not match the public key of the repository',
          docs.secrets,
        );
      }
      // GitHub decrypts what it stores; a value that is no sealed box for the key is refused.
      if (!(await encryptedValueOpens(repo, body.encrypted_value))) {
        throw new GitHubHttpError(
          422,
          'Bad request - encrypted_value could not be decrypted with the repository public key',
          docs.secrets,
        );
      }
      const existing = repo.secrets.get(name);
      const stamp = now();
      repo.secrets.set(name, {
        encryptedValue: body.encrypted_value,
        keyId: body.key_id,
        createdAt: existing?.createdAt ?? stamp,
        updatedAt: stamp,
      });
      return existing ? { status: 204 } : { status: 201, body: {} };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
    docs: docs.secrets,
    scopes: ['repo'],
    permission: 'secrets=write',
    repo: true,
    handler(req) {
      req.repo!.secrets.delete(req.params.secret_name.toUpperCase());
      return { status: 204 };
    },
  },
  // Actions variables
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.listVariables,
    scopes: ['repo'],
    permission: 'variables=read',
    repo: true,
    handler(req) {
      // GitHub lists at most 30 variables a page, 10 by default.
      if (!req.query.has('per_page')) req.query.set('per_page', '10');
      return listReply(
        req,
        [...req.repo!.variables].map(([name, v]) => variableJson(name, v)),
        { key: 'variables', maxPerPage: 30 },
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/actions/variables',
    docs: docs.variables,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.variables);
      if (typeof body.name !== 'string')
        throw notSupplied('name', docs.variables);
      if (typeof body.value !== 'string') {
        throw notSupplied('value', docs.variables);
      }
      const name = body.name.toUpperCase();
      assertActionsName(name, 'Variable', docs.variables);
      if (repo.variables.has(name)) {
        throw new GitHubHttpError(
          409,
          'Already exists - Variable already exists',
          docs.variables,
        );
      }
      const stamp = now();
      repo.variables.set(name, {
        value: body.value,
        createdAt: stamp,
        updatedAt: stamp,
      });
      return { status: 201, body: {} };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.getVariable,
    scopes: ['repo'],
    permission: 'variables=read',
    repo: true,
    handler(req) {
      const name = req.params.name.toUpperCase();
      const variable = req.repo!.variables.get(name);
      if (!variable) throw notFound(docs.getVariable);
      return { status: 200, body: variableJson(name, variable) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      const name = req.params.name.toUpperCase();
      const variable = req.repo!.variables.get(name);
      if (!variable) throw notFound(docs.updateVariable);
      const body = requireBody(req, docs.updateVariable);
      if (typeof body.value === 'string') variable.value = body.value;
      variable.updatedAt = now();
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/actions/variables/{name}',
    docs: docs.updateVariable,
    scopes: ['repo'],
    permission: 'variables=write',
    repo: true,
    handler(req) {
      if (!req.repo!.variables.delete(req.params.name.toUpperCase())) {
        throw notFound(docs.updateVariable);
      }
      return { status: 204 };
    },
  },
  // contents
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.getContents,
    scopes: ['repo'],
    permission: 'contents=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const branches = await listBranches(repo.gitDir);
      if (branches.size === 0) {
        throw notFound(docs.getContents, 'This repository is empty.');
      }
      const ref = req.query.get('ref') ?? repo.defaultBranch;
      const filePath = req.params.path.replace(/^\/+|\/+$/g, '');
      const blob = await readBlob(repo.gitDir, ref, filePath);
      if (!blob) throw notFound(docs.getContents);
      // application/vnd.github.raw(+json), as Backstage's GitHub UrlReader asks.
      if (
        /application\/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept))
      ) {
        return {
          status: 200,
          body: blob.content,
          headers: {
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'x-github-media-type': 'github.v3; param=raw',
            etag: `"${blob.sha}"`,
          },
        };
      }
      return {
        status: 200,
        body: fileJson(repo, req.urls, filePath, blob, ref),
      };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    docs: docs.contents,
    scopes: ['repo'],
    permission: 'contents=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.contents);
      if (typeof body.message !== 'string') {
        throw notSupplied('message', docs.contents);
      }
      if (typeof body.content !== 'string') {
        throw notSupplied('content', docs.contents);
      }
      const filePath = req.params.path.replace(/^\/+|\/+$/g, '');
      if (filePath.startsWith('.github/workflows/') && !workflowAllowed(req)) {
        throw notFound(docs.contents);
      }
      const branch = body.branch ?? repo.defaultBranch;
      const branchSha = await revParse(repo.gitDir, `refs/heads/${branch}`);
      const branches = await listBranches(repo.gitDir);
      if (!branchSha && branches.size > 0) {
        throw notFound(docs.contents, `Branch ${branch} not found`);
      }
      const existing = branchSha
        ? await readBlob(repo.gitDir, branch, filePath)
        : undefined;
      if (existing && body.sha === undefined) {
        throw notSupplied('sha', docs.contents);
      }
      if (existing && body.sha !== existing.sha) {
        throw new GitHubHttpError(
          409,
          `${filePath} does not match ${body.sha}`,
          docs.contents,
        );
      }
      if (req.driver.branchRules(repo, branch).pullRequest) {
        throw new GitHubHttpError(
          409,
          'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
          docs.contents,
        );
      }
      const content = Buffer.from(body.content, 'base64');
      // The author and committer given, else the caller (GitHub's default).
      const caller = {
        name: req.identity.login ?? 'GitHub',
        email: req.identity.login
          ? `${req.identity.id}+${req.identity.login}@users.noreply.github.com`
          : 'noreply@github.com',
      };
      const identity = (p: any) =>
        p && typeof p.name === 'string' && typeof p.email === 'string'
          ? { name: p.name, email: p.email }
          : undefined;
      const committer = identity(body.committer) ?? caller;
      const { commit, tree } = await commitFiles(repo.gitDir, {
        branch,
        files: { [filePath]: content },
        message: body.message,
        author: identity(body.author) ?? committer,
        committer,
      });
      if (branches.size === 0 && branch !== repo.defaultBranch) {
        await setDefaultBranch(repo, branch);
      }
      repo.pushedAt = now();
      const blob = (await readBlob(repo.gitDir, commit, filePath))!;
      const full = `${repo.owner}/${repo.name}`;
      return {
        status: existing ? 200 : 201,
        body: {
          content: fileJson(repo, req.urls, filePath, blob, branch, false),
          commit: {
            sha: commit,
            node_id: Buffer.from(`Commit:${commit}`).toString('base64'),
            url: `${req.urls.api}/repos/${full}/git/commits/${commit}`,
            html_url: `${req.urls.web}/${full}/commit/${commit}`,
            message: body.message,
            tree: {
              sha: tree,
              url: `${req.urls.api}/repos/${full}/git/trees/${tree}`,
            },
            parents: branchSha ? [{ sha: branchSha }] : [],
          },
        },
      };
    },
  },
  // pull requests
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    docs: docs.listPulls,
    scopes: ['repo'],
    permission: 'pull_requests=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const state = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      const base = req.query.get('base');
      const matching = repo.pulls.filter(
        p =>
          (state === 'all' || p.state === state) &&
          (!head || `${repo.owner}:${p.head.ref}` === head) &&
          (!base || p.base.ref === base),
      );
      const { slice, headers } = paginate(req, matching);
      return {
        status: 200,
        body: await Promise.all(slice.map(p => pullJson(req, repo, p))),
        headers,
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    docs: docs.getPull,
    scopes: ['repo'],
    permission: 'pull_requests=read',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const pull = repo.pulls.find(
        p => p.number === Number(req.params.pull_number),
      );
      if (!pull) throw notFound(docs.getPull);
      return { status: 200, body: await pullJson(req, repo, pull) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    docs: docs.pulls,
    scopes: ['repo'],
    permission: 'pull_requests=write',
    repo: true,
    async handler(req) {
      const repo = req.repo!;
      const body = requireBody(req, docs.pulls);
      if (typeof body.head !== 'string') throw notSupplied('head', docs.pulls);
      if (typeof body.base !== 'string') throw notSupplied('base', docs.pulls);
      if (typeof body.title !== 'string' && body.issue === undefined) {
        throw notSupplied('title', docs.pulls);
      }
      const head = headBranchOf(body.head);
      const headSha = await revParse(repo.gitDir, `refs/heads/${head.branch}`);
      const baseSha = await revParse(repo.gitDir, `refs/heads/${body.base}`);
      const errors: unknown[] = [];
      if (!baseSha) {
        errors.push({
          resource: 'PullRequest',
          field: 'base',
          code: 'invalid',
        });
      }
      if (!headSha) {
        errors.push({
          resource: 'PullRequest',
          field: 'head',
          code: 'invalid',
        });
      }
      if (errors.length) throw validationFailed(docs.pulls, errors);
      const ahead = Number(
        (
          await runGit(repo.gitDir, [
            'rev-list',
            '--count',
            `${baseSha}..${headSha}`,
          ])
        )
          .toString()
          .trim(),
      );
      if (ahead === 0) {
        throw validationFailed(docs.pulls, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${body.base} and ${head.branch}`,
          },
        ]);
      }
      const open = repo.pulls.find(
        p =>
          p.state === 'open' &&
          p.head.ref === head.branch &&
          p.base.ref === body.base,
      );
      if (open) {
        throw validationFailed(docs.pulls, [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner}:${head.branch}.`,
          },
        ]);
      }
      const stamp = now();
      const pull = {
        id: req.driver.newId(),
        number: repo.pulls.reduce((max, p) => Math.max(max, p.number), 0) + 1,
        state: 'open',
        title: body.title,
        body: body.body ?? null,
        draft: Boolean(body.draft),
        maintainer_can_modify: body.maintainer_can_modify,
        user: req.identity.user ? userJson(req.identity.user, req.urls) : null,
        head: { ref: head.branch, sha: headSha },
        base: { ref: body.base, sha: baseSha },
        created_at: stamp,
        updated_at: stamp,
      };
      repo.pulls.push(pull);
      const json = await pullJson(req, repo, pull);
      return { status: 201, body: json, headers: { location: json.url } };
    },
  },
  // GitHub Apps
  {
    method: 'GET',
    path: '/app',
    docs: docs.app,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const { app } = req.driver.apps.get(req.identity.appId!)!;
      return {
        status: 200,
        body: {
          id: app.appId,
          slug: appSlug(app),
          name: appSlug(app),
          permissions: {},
          events: [],
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/app/installations',
    docs: docs.installations,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const { app } = req.driver.apps.get(req.identity.appId!)!;
      const all = app.installations.map(inst => {
        const org = req.driver.orgs.get(inst.account.toLowerCase());
        return {
          id: inst.id,
          account: org
            ? orgOwnerJson(org, req.urls)
            : userJson(req.driver.addUser(inst.account), req.urls),
          app_id: app.appId,
          app_slug: appSlug(app),
          target_type: org ? 'Organization' : 'User',
          permissions: inst.permissions ?? {},
          repository_selection: inst.repositorySelection ?? 'all',
          access_tokens_url: `${req.urls.api}/app/installations/${inst.id}/access_tokens`,
          suspended_by: null,
          suspended_at: null,
        };
      });
      return listReply(req, all);
    },
  },
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    docs: docs.installationToken,
    scopes: [],
    auth: 'jwt',
    handler(req) {
      const { app } = req.driver.apps.get(req.identity.appId!)!;
      const inst = app.installations.find(
        i => i.id === Number(req.params.installation_id),
      );
      if (!inst) throw notFound(docs.installationToken);
      const token = `ghs_${crypto.randomBytes(18).toString('base64url')}`;
      const expiresAt = Date.now() + 3600_000;
      const permissions = {
        ...(inst.permissions ?? DEFAULT_INSTALLATION_PERMISSIONS),
      };
      req.driver.installationTokens.set(token, {
        installationId: inst.id,
        appId: app.appId,
        account: inst.account,
        permissions,
        repositorySelection: inst.repositorySelection ?? 'all',
        repositories: inst.repositories,
        expiresAt,
      });
      return {
        status: 201,
        body: {
          token,
          expires_at: timestamp(expiresAt),
          permissions,
          repository_selection: inst.repositorySelection ?? 'all',
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/installation/repositories',
    docs: docs.installationRepos,
    scopes: [],
    async handler(req) {
      const inst = req.identity.installation;
      if (!inst) {
        throw new GitHubHttpError(
          403,
          'You must authenticate with an installation access token in order to list repositories for an installation.',
          docs.installationRepos,
        );
      }
      const repos = [...req.driver.repos.values()].filter(
        r =>
          r.owner.toLowerCase() === inst.account.toLowerCase() &&
          (inst.repositorySelection === 'all' ||
            (inst.repositories ?? []).includes(r.name)),
      );
      const bodies = await Promise.all(repos.map(r => repoBody(req, r)));
      const { slice, headers } = paginate(req, bodies);
      return {
        status: 200,
        body: {
          total_count: bodies.length,
          repository_selection: inst.repositorySelection,
          repositories: slice,
        },
        headers,
      };
    },
  },
];

/** Whether the caller may change `.github/workflows`. @internal */
export function workflowAllowed(req: { identity: Identity }): boolean {
  const { identity } = req;
  if (identity.kind === 'token') {
    return identity.scopes?.includes('workflow') ?? false;
  }
  return identity.installation?.permissions.workflows === 'write';
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = routes.map(route => {
  const names: string[] = [];
  const pattern = route.path
    .split('/')
    .map(part => {
      const m = /^\{(\w+)(\+?)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * The route for a method and path with its parameters; `methodMismatch`
 * when only the method is wrong.
 *
 * @internal
 */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1]);
    });
    return { route: c.route, params };
  }
  return undefined;
}
