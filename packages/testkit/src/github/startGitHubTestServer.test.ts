import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sodium from 'libsodium-wrappers';
import type { Octokit as OctokitType } from '@octokit/rest';
import { GitHubTestServer } from './GitHubTestServer';
import { startGitHubTestServer } from './startGitHubTestServer';

// @octokit/rest is ESM; Jest's transform loads it through require.
const { Octokit } = require('@octokit/rest') as typeof import('@octokit/rest');

const run = promisify(execFile);

/** The repository most tests work on, as Octokit's owner and repo. */
const shop = { owner: 'kestrel', repo: 'shop' };

/** The RequestError of a failed call, with its status, body and headers. */
async function failureOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error: any) {
    if (error?.status) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

function clientFor(server: GitHubTestServer, token = server.token) {
  return new Octokit({
    baseUrl: server.apiBaseUrl,
    auth: token,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

function appJwt(appId: number, privateKey: string, expiresIn = 540): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (v: unknown) =>
    Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({
    iat: now - 60,
    exp: now + expiresIn,
    iss: appId,
  })}`;
  const signature = crypto
    .sign('RSA-SHA256', Buffer.from(unsigned), privateKey)
    .toString('base64url');
  return `${unsigned}.${signature}`;
}

describe('startGitHubTestServer', () => {
  let server: GitHubTestServer;
  let octokit: OctokitType;
  let work: string;

  beforeEach(async () => {
    server = await startGitHubTestServer();
    octokit = clientFor(server);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-server-test-'));
  });

  afterEach(async () => {
    await server.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  function remote(repo: string, token = server.token) {
    const url = new URL(`${server.url}/kestrel/${repo}.git`);
    url.username = 'x-access-token';
    url.password = token;
    return url.toString();
  }

  async function gitIn(dir: string, ...args: string[]) {
    return run('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
        GIT_TERMINAL_PROMPT: '0',
      },
    });
  }

  async function workTree(files: Record<string, string>, branch = 'main') {
    const dir = await fs.mkdtemp(path.join(work, 'tree-'));
    await gitIn(dir, 'init', '-q', '-b', branch);
    for (const [file, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), content);
    }
    await gitIn(dir, 'add', '-A');
    await gitIn(dir, 'commit', '-q', '-m', 'first');
    return dir;
  }

  describe('repositories', () => {
    it('creates an organisation repository: 201, Location, the full-repository shape and rate headers', async () => {
      const res = await octokit.rest.repos.createInOrg({
        org: 'kestrel',
        name: 'shop',
        visibility: 'private',
        description: 'The shop',
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(
        `${server.apiBaseUrl}/repos/kestrel/shop`,
      );
      expect(res.data).toMatchObject({
        name: 'shop',
        full_name: 'kestrel/shop',
        private: true,
        visibility: 'private',
        description: 'The shop',
        default_branch: 'main',
        owner: { login: 'kestrel', type: 'Organization' },
        html_url: `${server.url}/kestrel/shop`,
        clone_url: `${server.url}/kestrel/shop.git`,
      });
      expect(res.headers['x-ratelimit-limit']).toBe('5000');
      expect(res.headers['x-ratelimit-remaining']).toBe('4999');
      expect(res.headers['x-ratelimit-used']).toBe('1');
      expect(res.headers['x-ratelimit-resource']).toBe('core');
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(
        Date.now() / 1000,
      );
      expect(res.headers['x-oauth-scopes']).toBe('repo, admin:org, workflow');
      // The member who creates a repository becomes its admin.
      expect(
        server.driver.repository('kestrel', 'shop')!.collaborators,
      ).toEqual({ 'paved-bot': 'admin' });
    });

    it('answers 422 "name already exists on this account" with the body GitHub sends', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const error = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' }),
      );
      expect(error.status).toBe(422);
      expect(error.response.data).toEqual({
        message: 'Repository creation failed.',
        errors: [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
        documentation_url:
          'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
        status: '422',
      });
    });

    it('answers 404 for an unknown organisation or repository, 401 for a bad token', async () => {
      const org = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'nobody', name: 'x' }),
      );
      expect(org.status).toBe(404);
      expect(org.response.data).toEqual({
        message: 'Not Found',
        documentation_url:
          'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
        status: '404',
      });
      const repo = await failureOf(
        octokit.rest.repos.get({ owner: 'kestrel', repo: 'missing' }),
      );
      expect(repo.status).toBe(404);
      const bad = await failureOf(
        clientFor(server, 'ghp_wrong').rest.repos.get({
          owner: 'kestrel',
          repo: 'missing',
        }),
      );
      expect(bad.status).toBe(401);
      expect(bad.response.data.message).toBe('Bad credentials');
    });

    it('answers a token without the scope 404, naming what the endpoint accepts in the headers', async () => {
      server.driver.addToken({
        token: 'ghp_repoonly',
        login: 'dev',
        scopes: ['repo'],
      });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const limited = clientFor(server, 'ghp_repoonly');
      const error = await failureOf(
        limited.rest.teams.addOrUpdateRepoPermissionsInOrg({
          org: 'kestrel',
          team_slug: 'platform',
          ...shop,
          permission: 'maintain',
        }),
      );
      // GitHub hides what a token may not reach (docs: "Troubleshooting the REST API").
      expect(error.status).toBe(404);
      expect(error.response.data).toEqual({
        message: 'Not Found',
        documentation_url:
          'https://docs.github.com/rest/teams/teams#add-or-update-team-repository-permissions',
        status: '404',
      });
      expect(error.response.headers['x-accepted-oauth-scopes']).toBe(
        'admin:org',
      );
      expect(error.response.headers['x-oauth-scopes']).toBe('repo');
      expect(server.driver.repository('kestrel', 'shop')!.teams).toEqual({});
      // The headers come with every answer, as in GitHub's documentation.
      const ok = await limited.rest.repos.get({ ...shop });
      expect(ok.headers['x-accepted-oauth-scopes']).toBe('repo');
      expect(ok.headers['x-oauth-scopes']).toBe('repo');
      // Without repo, a private repository is not there, over git too.
      server.driver.addToken({ token: 'ghp_none', login: 'dev', scopes: [] });
      const hidden = await failureOf(
        clientFor(server, 'ghp_none').rest.repos.get({ ...shop }),
      );
      expect(hidden.status).toBe(404);
      const res = await fetch(
        `${server.url}/kestrel/shop.git/info/refs?service=git-upload-pack`,
        {
          headers: {
            Authorization: `Basic ${Buffer.from('x:ghp_none').toString(
              'base64',
            )}`,
          },
        },
      );
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('Repository not found.\n');
    });

    it('deletes a repository only for a token with delete_repo, answering 403 otherwise as GitHub does', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const refused = await failureOf(
        octokit.rest.repos.delete({ owner: 'kestrel', repo: 'shop' }),
      );
      expect(refused.status).toBe(403);
      expect(refused.response.data).toEqual({
        message: 'Must have admin rights to Repository.',
        documentation_url:
          'https://docs.github.com/rest/repos/repos#delete-a-repository',
        status: '403',
      });
      // GitHub does not name delete_repo (cli/cli#4513); the token's own scopes say it is missing.
      expect(refused.response.headers['x-accepted-oauth-scopes']).toBe('');
      expect(refused.response.headers['x-oauth-scopes']).toBe(
        'repo, admin:org, workflow',
      );
      expect(server.driver.repository('kestrel', 'shop')).toBeDefined();

      server.driver.addToken({
        token: 'ghp_deleter',
        login: 'paved-bot',
        scopes: ['repo', 'delete_repo'],
      });
      const deleter = clientFor(server, 'ghp_deleter');
      const res = await deleter.rest.repos.delete({ ...shop });
      expect(res.status).toBe(204);
      expect(server.driver.repository('kestrel', 'shop')).toBeUndefined();
      const again = await failureOf(
        deleter.rest.repos.delete({ owner: 'kestrel', repo: 'shop' }),
      );
      expect(again.status).toBe(404);
    });

    it('archives a repository with PATCH archived', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const res = await octokit.rest.repos.update({
        ...shop,
        archived: true,
      });
      expect(res.data.archived).toBe(true);
      expect(server.driver.repository('kestrel', 'shop')!.archived).toBe(true);
      const read = await octokit.rest.repos.get({ ...shop });
      expect(read.data.archived).toBe(true);
    });

    it('sets topics, validating them as GitHub does', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const res = await octokit.rest.repos.replaceAllTopics({
        ...shop,
        names: ['paved', 'node-service'],
      });
      expect(res.data.names).toEqual(['paved', 'node-service']);
      const error = await failureOf(
        octokit.rest.repos.replaceAllTopics({
          ...shop,
          names: ['Not Valid!'],
        }),
      );
      expect(error.status).toBe(422);
      expect(error.response.data.errors[0].field).toBe('topics');
    });

    it('answers 409 "Git Repository is empty." and an empty contents API for a new repository', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const commits = await failureOf(
        octokit.rest.repos.listCommits({ owner: 'kestrel', repo: 'shop' }),
      );
      expect(commits.status).toBe(409);
      expect(commits.response.data.message).toBe('Git Repository is empty.');
      const contents = await failureOf(
        octokit.rest.repos.getContent({
          ...shop,
          path: 'README.md',
        }),
      );
      expect(contents.status).toBe(404);
      expect(contents.response.data.message).toBe('This repository is empty.');
    });

    it('lists commits newest first with their author, committer and parents', async () => {
      await server.driver.createRepository('kestrel', 'shop', {
        files: { 'README.md': '# shop\n' },
      });
      const second = await server.driver.commit(
        'kestrel',
        'shop',
        'main',
        { 'src/index.ts': 'x\n' },
        'Add the service\n\nWith a body.',
      );
      const res = await octokit.rest.repos.listCommits({
        ...shop,
        sha: 'main',
        per_page: 5,
      });
      expect(res.data).toHaveLength(2);
      const [newest, first] = res.data;
      expect(newest).toMatchObject({
        sha: second,
        commit: {
          message: 'Add the service\n\nWith a body.',
          author: { name: expect.any(String), email: expect.any(String) },
          committer: { date: expect.stringMatching(/Z$/) },
        },
        parents: [{ sha: first.sha }],
      });
      expect(first.parents).toEqual([]);
      const one = await octokit.rest.repos.listCommits({
        ...shop,
        per_page: 1,
      });
      expect(one.data.map(c => c.sha)).toEqual([second]);
    });

    it('answers the transient 404s and 422s of a new repository as many times as told', async () => {
      server.driver.setTransientErrorsAfterCreate({
        notFound: 2,
        unprocessable: 1,
      });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const get = () =>
        octokit.rest.repos.get({ owner: 'kestrel', repo: 'shop' });
      expect((await failureOf(get())).status).toBe(404);
      expect((await failureOf(get())).status).toBe(404);
      expect((await failureOf(get())).status).toBe(422);
      expect((await get()).status).toBe(200);
    });

    it('serves the REST API both at the root and under /api/v3', async () => {
      const root = new Octokit({ baseUrl: server.url, auth: server.token });
      await root.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const res = await octokit.rest.repos.get({ ...shop });
      expect(res.data.full_name).toBe('kestrel/shop');
    });
  });

  describe('rate limits', () => {
    it('answers 403 with x-ratelimit-remaining 0 once the primary budget is spent', async () => {
      server.driver.setRateLimit(server.token, { remaining: 1, limit: 5000 });
      const ok = await octokit.rest.users.getAuthenticated();
      expect(ok.headers['x-ratelimit-remaining']).toBe('0');
      const error = await failureOf(octokit.rest.users.getAuthenticated());
      expect(error.status).toBe(403);
      expect(error.response.headers['x-ratelimit-remaining']).toBe('0');
      expect(error.response.data).toEqual({
        message: `API rate limit exceeded for user ID ${server.driver.userId(
          'paved-bot',
        )}.`,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
        status: '403',
      });
      const rate = await octokit.rest.rateLimit.get();
      expect(rate.data.resources.core.remaining).toBe(0);
    });

    it('can answer 429 instead of 403, and refills after the reset', async () => {
      server.driver.setRateLimitStatus(429);
      server.driver.setRateLimit(server.token, {
        remaining: 0,
        resetInSeconds: 0,
      });
      // The reset is already due: the budget refills.
      expect((await octokit.rest.users.getAuthenticated()).status).toBe(200);
      server.driver.setRateLimit(server.token, { remaining: 0 });
      const error = await failureOf(octokit.rest.users.getAuthenticated());
      expect(error.status).toBe(429);
    });

    it('answers a secondary limit with retry-after and the message octokit recognises', async () => {
      server.driver.triggerSecondaryRateLimit({ retryAfter: 7 });
      // Reads pass; only content-creating requests are limited.
      await octokit.rest.users.getAuthenticated();
      const error = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' }),
      );
      expect(error.status).toBe(403);
      expect(error.response.headers['retry-after']).toBe('7');
      expect(error.response.headers['x-ratelimit-remaining']).not.toBe('0');
      expect(error.message).toMatch(/\bsecondary rate\b/i);
      expect(
        (await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' }))
          .status,
      ).toBe(201);
    });

    it('enforces the limits on content-creating requests per minute', async () => {
      server.driver.setContentCreationLimits({ perMinute: 2, perHour: 10 });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'a' });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'b' });
      const error = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'c' }),
      );
      expect(error.status).toBe(403);
      expect(Number(error.response.headers['retry-after'])).toBeGreaterThan(0);
      expect(error.response.data.message).toMatch(/secondary rate limit/);
      expect(
        server.requests.filter(r => r.contentCreating).map(r => r.status),
      ).toEqual([201, 201, 403]);
    });

    it('keeps the limits on a shorter clock when asked, and lets writes through once a window passes', async () => {
      // A "minute" of 600 ms and an "hour" of 36 s.
      server.driver.setContentCreationLimits({
        perMinute: 2,
        perHour: 3,
        timeScale: 0.01,
      });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'a' });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'b' });
      const refused = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'c' }),
      );
      expect(Number(refused.response.headers['retry-after'])).toBe(1);
      await new Promise(resolve => setTimeout(resolve, 700));
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'c' });
      // The "hour" now holds three: the fourth waits for it, about 36 s.
      const hourly = await failureOf(
        octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'd' }),
      );
      expect(Number(hourly.response.headers['retry-after'])).toBeGreaterThan(
        30,
      );
    });
  });

  describe('git over smart HTTP', () => {
    it('takes a real push, makes its first branch the default, and serves clones', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const dir = await workTree({ 'README.md': '# shop\n' }, 'trunk');
      await gitIn(dir, 'push', '-q', remote('shop'), 'trunk');
      const repo = await octokit.rest.repos.get({ ...shop });
      expect(repo.data.default_branch).toBe('trunk');
      expect(repo.data.pushed_at).not.toBeNull();
      const clone = path.join(work, 'clone');
      await gitIn(work, 'clone', '-q', remote('shop'), clone);
      expect(await fs.readFile(path.join(clone, 'README.md'), 'utf8')).toBe(
        '# shop\n',
      );
      expect(await server.driver.files('kestrel', 'shop')).toEqual({
        'README.md': '# shop\n',
      });
      expect(
        server.requests.filter(r => r.kind === 'git').length,
      ).toBeGreaterThan(0);
    });

    it('asks for credentials and refuses unknown tokens', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const res = await fetch(
        `${server.url}/kestrel/shop.git/info/refs?service=git-upload-pack`,
      );
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="GitHub"');
      const dir = await workTree({ a: '1' });
      await expect(
        gitIn(dir, 'push', '-q', remote('shop', 'ghp_wrong'), 'main'),
      ).rejects.toThrow(/Invalid username or token/);
    });

    it('refuses workflow files from a token without the workflow scope', async () => {
      server.driver.addToken({
        token: 'ghp_noflow',
        login: 'dev',
        scopes: ['repo'],
      });
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const dir = await workTree({ '.github/workflows/ci.yaml': 'name: CI\n' });
      await expect(
        gitIn(dir, 'push', '-q', remote('shop', 'ghp_noflow'), 'main'),
      ).rejects.toThrow(
        /refusing to allow a Personal Access Token to create or update workflow `.github\/workflows\/ci.yaml` without `workflow` scope/,
      );
      expect(await server.driver.branches('kestrel', 'shop')).toEqual({});
    });

    it('cuts the connection of a push before or after it is applied', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const dir = await workTree({ a: '1' });
      server.driver.failNextPush('kestrel', 'shop', 'before-apply');
      await expect(
        gitIn(dir, 'push', '-q', remote('shop'), 'main'),
      ).rejects.toThrow();
      expect(await server.driver.branches('kestrel', 'shop')).toEqual({});
      server.driver.failNextPush('kestrel', 'shop', 'after-apply');
      await expect(
        gitIn(dir, 'push', '-q', remote('shop'), 'main'),
      ).rejects.toThrow();
      const { stdout } = await gitIn(dir, 'rev-parse', 'HEAD');
      expect(await server.driver.head('kestrel', 'shop', 'main')).toBe(
        stdout.trim(),
      );
    });

    it('refuses direct pushes and force-pushes to a branch an active ruleset protects', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      const dir = await workTree({ a: '1' });
      await gitIn(dir, 'push', '-q', remote('shop'), 'main');
      await octokit.rest.repos.createRepoRuleset({
        ...shop,
        name: 'default branch',
        enforcement: 'active',
        target: 'branch',
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [
          { type: 'non_fast_forward' },
          {
            type: 'pull_request',
            parameters: {
              required_approving_review_count: 1,
              dismiss_stale_reviews_on_push: true,
              require_code_owner_review: true,
              require_last_push_approval: false,
              required_review_thread_resolution: false,
            },
          },
        ],
      });
      await fs.writeFile(path.join(dir, 'a'), '2');
      await gitIn(dir, 'commit', '-q', '-am', 'second');
      await expect(
        gitIn(dir, 'push', '-q', remote('shop'), 'main'),
      ).rejects.toThrow(
        /GH013: Repository rule violations found for refs\/heads\/main/,
      );
      // Other branches stay open.
      await gitIn(dir, 'push', '-q', remote('shop'), 'main:feature');
      expect(
        Object.keys(await server.driver.branches('kestrel', 'shop')),
      ).toEqual(['feature', 'main']);
    });
  });

  describe('branch protection', () => {
    beforeEach(async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      await server.driver.commit('kestrel', 'shop', 'main', { a: '1' });
    });

    it('creates rulesets, refuses a second one of the same name, lists them without rules', async () => {
      const body = {
        ...shop,
        name: 'protect',
        enforcement: 'active' as const,
        target: 'branch' as const,
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [{ type: 'deletion' as const }],
      };
      const created = await octokit.rest.repos.createRepoRuleset(body);
      expect(created.status).toBe(201);
      expect(created.data).toMatchObject({
        name: 'protect',
        source_type: 'Repository',
        source: 'kestrel/shop',
        enforcement: 'active',
        rules: [{ type: 'deletion' }],
        _links: {
          self: {
            href: `${server.apiBaseUrl}/repos/kestrel/shop/rulesets/${created.data.id}`,
          },
        },
      });
      const dup = await failureOf(octokit.rest.repos.createRepoRuleset(body));
      expect(dup.status).toBe(422);
      expect(dup.response.data.errors).toEqual(['Name must be unique']);
      const list = await octokit.rest.repos.getRepoRulesets({ ...shop });
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).not.toHaveProperty('rules');
      const one = await octokit.rest.repos.getRepoRuleset({
        ...shop,
        ruleset_id: created.data.id,
      });
      expect(one.data.rules).toEqual([{ type: 'deletion' }]);
    });

    it('answers 404 or 403 "Upgrade to GitHub Pro" where rulesets are unavailable', async () => {
      server.driver.setRulesetSupport('not-found');
      const gone = await failureOf(
        octokit.rest.repos.getRepoRulesets({ owner: 'kestrel', repo: 'shop' }),
      );
      expect(gone.status).toBe(404);
      server.driver.setRulesetSupport('upgrade-required');
      const paid = await failureOf(
        octokit.rest.repos.getRepoRulesets({ owner: 'kestrel', repo: 'shop' }),
      );
      expect(paid.status).toBe(403);
      expect(paid.response.data.message).toBe(
        'Upgrade to GitHub Pro or make this repository public to enable this feature.',
      );
    });

    it('protects a branch the classic way: 404 before, the protection object after', async () => {
      const before = await failureOf(
        octokit.rest.repos.getBranchProtection({
          ...shop,
          branch: 'main',
        }),
      );
      expect(before.status).toBe(404);
      expect(before.response.data.message).toBe('Branch not protected');
      const missing = await failureOf(
        octokit.request(
          'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
          {
            ...shop,
            branch: 'main',
            enforce_admins: true,
          } as any,
        ),
      );
      expect(missing.status).toBe(422);
      expect(missing.response.data.message).toBe(
        'Invalid request.\n\n"required_status_checks" wasn\'t supplied.',
      );
      await octokit.rest.repos.updateBranchProtection({
        ...shop,
        branch: 'main',
        required_status_checks: { strict: true, contexts: ['build'] },
        enforce_admins: true,
        required_pull_request_reviews: {
          required_approving_review_count: 1,
          require_code_owner_reviews: true,
        },
        restrictions: null,
        allow_force_pushes: false,
        allow_deletions: false,
      });
      const after = await octokit.rest.repos.getBranchProtection({
        ...shop,
        branch: 'main',
      });
      expect(after.data.required_status_checks?.contexts).toEqual(['build']);
      expect(
        after.data.required_pull_request_reviews?.require_code_owner_reviews,
      ).toBe(true);
      expect(after.data.allow_force_pushes?.enabled).toBe(false);
    });
  });

  describe('access, environments, secrets and variables', () => {
    beforeEach(async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
    });

    it('grants a team a role and lists the repository teams; 404 for an unknown team, 422 for a bad role', async () => {
      const put = await octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({
        org: 'kestrel',
        team_slug: 'storefront',
        ...shop,
        permission: 'maintain',
      });
      expect(put.status).toBe(204);
      const teams = await octokit.rest.repos.listTeams({ ...shop });
      expect(teams.data.map(t => [t.slug, t.permission])).toEqual([
        ['storefront', 'maintain'],
      ]);
      const unknown = await failureOf(
        octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({
          org: 'kestrel',
          team_slug: 'nobody',
          ...shop,
          permission: 'push',
        }),
      );
      expect(unknown.status).toBe(404);
      const bad = await failureOf(
        octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({
          org: 'kestrel',
          team_slug: 'storefront',
          ...shop,
          permission: 'owner',
        }),
      );
      expect(bad.status).toBe(422);
    });

    it('removes a collaborator with 204', async () => {
      const res = await octokit.rest.repos.removeCollaborator({
        ...shop,
        username: 'paved-bot',
      });
      expect(res.status).toBe(204);
      expect(
        server.driver.repository('kestrel', 'shop')!.collaborators,
      ).toEqual({});
    });

    it('creates environments with reviewers and a wait timer, answering their protection rules', async () => {
      const teamId = server.driver.teamId('kestrel', 'storefront');
      const res = await octokit.rest.repos.createOrUpdateEnvironment({
        ...shop,
        environment_name: 'production',
        wait_timer: 30,
        prevent_self_review: true,
        reviewers: [{ type: 'Team', id: teamId }],
        deployment_branch_policy: {
          protected_branches: true,
          custom_branch_policies: false,
        },
      });
      expect(res.status).toBe(200);
      expect(res.data.protection_rules).toEqual([
        expect.objectContaining({ type: 'wait_timer', wait_timer: 30 }),
        expect.objectContaining({
          type: 'required_reviewers',
          prevent_self_review: true,
          reviewers: [
            {
              type: 'Team',
              reviewer: expect.objectContaining({
                id: teamId,
                slug: 'storefront',
              }),
            },
          ],
        }),
        expect.objectContaining({ type: 'branch_policy' }),
      ]);
      const list = await octokit.rest.repos.getAllEnvironments({ ...shop });
      expect(list.data.total_count).toBe(1);
      const tooLong = await failureOf(
        octokit.rest.repos.createOrUpdateEnvironment({
          ...shop,
          environment_name: 'staging',
          wait_timer: 50000,
        }),
      );
      expect(tooLong.status).toBe(422);
      server.driver.setEnvironmentProtectionSupport('upgrade-required');
      const free = await failureOf(
        octokit.rest.repos.createOrUpdateEnvironment({
          ...shop,
          environment_name: 'staging',
          wait_timer: 5,
        }),
      );
      expect(free.status).toBe(422);
    });

    it('stores a sealed-box secret (201, then 204) that the server opens with its private key', async () => {
      await sodium.ready;
      const key = await octokit.rest.actions.getRepoPublicKey({ ...shop });
      expect(
        sodium.from_base64(key.data.key, sodium.base64_variants.ORIGINAL),
      ).toHaveLength(32);
      const seal = (value: string) =>
        sodium.to_base64(
          sodium.crypto_box_seal(
            sodium.from_string(value),
            sodium.from_base64(key.data.key, sodium.base64_variants.ORIGINAL),
          ),
          sodium.base64_variants.ORIGINAL,
        );
      const first = await octokit.rest.actions.createOrUpdateRepoSecret({
        ...shop,
        secret_name: 'NPM_TOKEN',
        encrypted_value: seal('s3cr3t-value'),
        key_id: key.data.key_id,
      });
      expect(first.status).toBe(201);
      const second = await octokit.rest.actions.createOrUpdateRepoSecret({
        ...shop,
        secret_name: 'NPM_TOKEN',
        encrypted_value: seal('rotated'),
        key_id: key.data.key_id,
      });
      expect(second.status).toBe(204);
      expect(
        await server.driver.decryptSecret('kestrel', 'shop', 'NPM_TOKEN'),
      ).toBe('rotated');
      const noKey = await failureOf(
        octokit.request(
          'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
          {
            ...shop,
            secret_name: 'OTHER',
            encrypted_value: seal('x'),
          } as any,
        ),
      );
      expect(noKey.status).toBe(422);
      expect(noKey.response.data.message).toBe(
        'Invalid request.\n\n"key_id" wasn\'t supplied.',
      );
      const garbage = await failureOf(
        octokit.rest.actions.createOrUpdateRepoSecret({
          ...shop,
          secret_name: 'OTHER',
          encrypted_value: Buffer.from('plain text').toString('base64'),
          key_id: key.data.key_id,
        }),
      );
      expect(garbage.status).toBe(422);
    });

    it('creates variables (201), refuses a second create (409), updates (204) and pages lists by 10', async () => {
      expect(
        (
          await octokit.rest.actions.createRepoVariable({
            ...shop,
            name: 'REGION',
            value: 'eu-west-1',
          })
        ).status,
      ).toBe(201);
      const again = await failureOf(
        octokit.rest.actions.createRepoVariable({
          ...shop,
          name: 'REGION',
          value: 'eu-west-1',
        }),
      );
      expect(again.status).toBe(409);
      expect(
        (
          await octokit.rest.actions.updateRepoVariable({
            ...shop,
            name: 'REGION',
            value: 'eu-central-1',
          })
        ).status,
      ).toBe(204);
      const one = await octokit.rest.actions.getRepoVariable({
        ...shop,
        name: 'region',
      });
      expect(one.data.value).toBe('eu-central-1');
      for (let i = 0; i < 11; i++) {
        await octokit.rest.actions.createRepoVariable({
          ...shop,
          name: `V${i}`,
          value: String(i),
        });
      }
      const page = await octokit.rest.actions.listRepoVariables({ ...shop });
      expect(page.data.total_count).toBe(12);
      expect(page.data.variables).toHaveLength(10);
      expect(page.headers.link).toContain('rel="next"');
    });
  });

  describe('contents and pull requests', () => {
    beforeEach(async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      await server.driver.commit('kestrel', 'shop', 'main', {
        'README.md': 'hi',
      });
    });

    it('creates a file (201), wants its sha to change it (422), updates it (200) and reads it back', async () => {
      const created = await octokit.rest.repos.createOrUpdateFileContents({
        ...shop,
        path: '.github/CODEOWNERS',
        message: 'Add CODEOWNERS',
        content: Buffer.from('* @kestrel/storefront\n').toString('base64'),
      });
      expect(created.status).toBe(201);
      const noSha = await failureOf(
        octokit.rest.repos.createOrUpdateFileContents({
          ...shop,
          path: '.github/CODEOWNERS',
          message: 'Change',
          content: Buffer.from('* @kestrel/platform\n').toString('base64'),
        }),
      );
      expect(noSha.status).toBe(422);
      expect(noSha.response.data.message).toBe(
        'Invalid request.\n\n"sha" wasn\'t supplied.',
      );
      const updated = await octokit.rest.repos.createOrUpdateFileContents({
        ...shop,
        path: '.github/CODEOWNERS',
        message: 'Change',
        content: Buffer.from('* @kestrel/platform\n').toString('base64'),
        sha: created.data.content!.sha!,
      });
      expect(updated.status).toBe(200);
      const read = await octokit.rest.repos.getContent({
        ...shop,
        path: '.github/CODEOWNERS',
      });
      const file = read.data as { content: string; encoding: string };
      expect(file.encoding).toBe('base64');
      expect(Buffer.from(file.content, 'base64').toString()).toBe(
        '* @kestrel/platform\n',
      );
      // The raw media type, as Backstage's GitHub UrlReader asks for it.
      const raw = await fetch(
        `${server.apiBaseUrl}/repos/kestrel/shop/contents/.github/CODEOWNERS?ref=main`,
        {
          headers: {
            Authorization: `token ${server.token}`,
            Accept: 'application/vnd.github.v3.raw',
          },
        },
      );
      expect(raw.status).toBe(200);
      expect(raw.headers.get('x-github-media-type')).toBe(
        'github.v3; param=raw',
      );
      expect(await raw.text()).toBe('* @kestrel/platform\n');
    });

    it('refuses direct file changes to a branch a ruleset requires pull requests for', async () => {
      await octokit.rest.repos.createRepoRuleset({
        ...shop,
        name: 'protect',
        enforcement: 'active',
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [
          {
            type: 'pull_request',
            parameters: {
              required_approving_review_count: 1,
              dismiss_stale_reviews_on_push: false,
              require_code_owner_review: false,
              require_last_push_approval: false,
              required_review_thread_resolution: false,
            },
          },
        ],
      });
      const error = await failureOf(
        octokit.rest.repos.createOrUpdateFileContents({
          ...shop,
          path: 'x',
          message: 'x',
          content: 'eA==',
        }),
      );
      expect(error.status).toBe(409);
      expect(error.response.data.message).toMatch(
        /^Repository rule violations found/,
      );
    });

    it('opens a pull request (201) once, and says when one exists or nothing differs (422)', async () => {
      const base = await server.driver.head('kestrel', 'shop', 'main');
      await run('git', [
        '--git-dir',
        server.driver.gitDir('kestrel', 'shop'),
        'update-ref',
        'refs/heads/same',
        base!,
      ]);
      const noDiff = await failureOf(
        octokit.rest.pulls.create({
          ...shop,
          head: 'same',
          base: 'main',
          title: 'nothing',
        }),
      );
      expect(noDiff.status).toBe(422);
      expect(noDiff.response.data.errors[0].message).toBe(
        'No commits between main and same',
      );
      await server.driver.commit('kestrel', 'shop', 'feature', { b: '2' });
      const pr = await octokit.rest.pulls.create({
        ...shop,
        head: 'kestrel:feature',
        base: 'main',
        title: 'Add b',
        body: 'Adds b',
      });
      expect(pr.status).toBe(201);
      expect(pr.data).toMatchObject({
        number: 1,
        state: 'open',
        title: 'Add b',
        html_url: `${server.url}/kestrel/shop/pull/1`,
        head: { ref: 'feature' },
        base: { ref: 'main' },
      });
      const dup = await failureOf(
        octokit.rest.pulls.create({
          ...shop,
          head: 'feature',
          base: 'main',
          title: 'again',
        }),
      );
      expect(dup.status).toBe(422);
      expect(dup.response.data.errors[0].message).toBe(
        'A pull request already exists for kestrel:feature.',
      );
      const listed = await octokit.rest.pulls.list({
        ...shop,
        head: 'kestrel:feature',
        state: 'open',
      });
      expect(listed.data.map(p => p.number)).toEqual([1]);
    });
  });

  describe('GitHub Apps', () => {
    it('exchanges a signed JWT for an installation token that acts within its permissions', async () => {
      const app = server.createApp({
        permissions: { administration: 'write', contents: 'read' },
      });
      const jwtClient = clientFor(server, appJwt(app.appId, app.privateKey));
      const installations = await jwtClient.rest.apps.listInstallations();
      expect(installations.data.map(i => [i.id, i.account?.login])).toEqual([
        [app.installationId, 'kestrel'],
      ]);
      const token = await jwtClient.rest.apps.createInstallationAccessToken({
        installation_id: app.installationId,
      });
      expect(token.status).toBe(201);
      expect(token.data.token).toMatch(/^ghs_/);
      const installation = clientFor(server, token.data.token);
      expect(
        (
          await installation.rest.repos.createInOrg({
            org: 'kestrel',
            name: 'shop',
          })
        ).status,
      ).toBe(201);
      const denied = await failureOf(
        installation.rest.actions.getRepoPublicKey({ ...shop }),
      );
      expect(denied.status).toBe(403);
      expect(denied.response.data.message).toBe(
        'Resource not accessible by integration',
      );
      expect(denied.response.headers['x-accepted-github-permissions']).toBe(
        'secrets=read',
      );
    });

    it('refuses a JWT signed with another key', async () => {
      const app = server.createApp();
      const other = crypto.generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      });
      const error = await failureOf(
        clientFor(
          server,
          appJwt(app.appId, other.privateKey),
        ).rest.apps.listInstallations(),
      );
      expect(error.status).toBe(401);
    });
  });

  describe('faults', () => {
    it('answers an injected error or cuts the connection for matching requests only', async () => {
      await octokit.rest.repos.createInOrg({ org: 'kestrel', name: 'shop' });
      server.driver.injectFault({
        method: 'PUT',
        path: '/repos/kestrel/shop/topics',
        status: 502,
      });
      const error = await failureOf(
        octokit.rest.repos.replaceAllTopics({
          ...shop,
          names: ['a'],
        }),
      );
      expect(error.status).toBe(502);
      expect(
        (
          await octokit.rest.repos.replaceAllTopics({
            ...shop,
            names: ['a'],
          })
        ).status,
      ).toBe(200);
      server.driver.injectFault({ path: /\/topics$/, dropConnection: true });
      await expect(
        octokit.rest.repos.getAllTopics({ owner: 'kestrel', repo: 'shop' }),
      ).rejects.toThrow();
      expect(server.requests.at(-1)!.status).toBe(0);
    });
  });
});
