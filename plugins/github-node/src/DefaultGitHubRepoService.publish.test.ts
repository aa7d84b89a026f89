import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { GitHubTestServer } from '@paved/testkit';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import {
  serviceWithToken,
  startServiceOnTestServer,
} from './__testUtils__/testService';

const run = promisify(execFile);

describe('DefaultGitHubRepoService: creating and publishing', () => {
  let server: GitHubTestServer;
  let service: DefaultGitHubRepoService;
  const workspace = createMockDirectory();
  /** Pushes the workspace as kestrel/shop's first commit on main. */
  const pushShop = () =>
    service.pushInitialContent({
      owner: 'kestrel',
      name: 'shop',
      sourceDir: workspace.path,
      branch: 'main',
    });
  const files = {
    'README.md': '# shop\n',
    'catalog-info.yaml': 'kind: Component\n',
    '.github/workflows/ci.yaml':
      'name: CI\non: [pull_request]\njobs:\n  build:\n    runs-on: ubuntu-latest\n',
    '.gitignore': 'node_modules\n',
    'node_modules/x/index.js': 'ignored',
  };

  beforeEach(async () => {
    ({ server, service } = await startServiceOnTestServer());
    workspace.setContent(files);
  });

  afterEach(async () => {
    await server.close();
  });

  async function clone(repo: string) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clone-'));
    const url = new URL(`${server.url}/kestrel/${repo}.git`);
    url.username = 'x-access-token';
    url.password = server.token;
    await run('git', ['clone', '-q', url.toString(), dir]);
    return dir;
  }

  it('creates a private repository with description and topics, and reports its URLs', async () => {
    const result = await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      description: 'The shop',
      topics: ['paved', 'node-service'],
    });
    expect(result).toEqual({
      created: true,
      adopted: false,
      owner: 'kestrel',
      name: 'shop',
      htmlUrl: `${server.url}/kestrel/shop`,
      cloneUrl: `${server.url}/kestrel/shop.git`,
      defaultBranch: 'main',
    });
    const repo = server.driver.repository('kestrel', 'shop')!;
    expect(repo).toMatchObject({
      private: true,
      visibility: 'private',
      description: 'The shop',
      topics: ['paved', 'node-service'],
    });
    expect(server.requests.map(r => r.route)).toEqual([
      'POST /orgs/{org}/repos',
      'PUT /repos/{owner}/{repo}/topics',
    ]);
  });

  it("records Paved's marker and the owning group as topics, keeps it when a crashed run's repository is adopted, and never replaces it", async () => {
    await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      topics: ['paved'],
      ownerGroup: 'group:default/storefront',
    });
    expect(server.driver.repository('kestrel', 'shop')!.topics).toEqual([
      'paved',
      'paved-managed',
      'paved-owner-storefront',
    ]);
    await expect(
      service.recordedOwner({ owner: 'kestrel', name: 'shop' }),
    ).resolves.toEqual({
      exists: true,
      managed: true,
      ownerGroup: 'group:default/storefront',
    });
    // Adopted by a run that names no owner (or the same): the marker stays.
    await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      topics: ['paved', 'web'],
    });
    expect(server.driver.repository('kestrel', 'shop')!.topics).toEqual([
      'paved',
      'web',
      'paved-managed',
      'paved-owner-storefront',
    ]);
    await expect(
      service.createRepository({
        owner: 'kestrel',
        name: 'shop',
        ownerGroup: 'group:default/fulfilment',
      }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'kestrel/shop is recorded as owned by group:default/storefront; Paved will not record group:default/fulfilment as its owner',
    });
    // A crashed run's repository (created, no topics yet) gets the marker.
    await server.driver.createRepository('kestrel', 'crashed');
    await expect(
      service.recordedOwner({ owner: 'kestrel', name: 'crashed' }),
    ).resolves.toEqual({ exists: true, managed: false, empty: true });
    await service.createRepository({
      owner: 'kestrel',
      name: 'crashed',
      ownerGroup: 'group:default/storefront',
    });
    expect(server.driver.repository('kestrel', 'crashed')!.topics).toEqual([
      'paved-managed',
      'paved-owner-storefront',
    ]);
    await expect(
      service.recordedOwner({ owner: 'kestrel', name: 'none' }),
    ).resolves.toEqual({ exists: false, managed: false });
  });

  it('refuses marker topics from a form, and owners a topic cannot name', async () => {
    await expect(
      service.createRepository({
        owner: 'kestrel',
        name: 'shop',
        topics: ['paved-owner-platform'],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'topics: "paved-owner-platform" is reserved for the marker Paved records on the repositories it creates',
    });
    await expect(
      service.createRepository({
        owner: 'kestrel',
        name: 'shop',
        ownerGroup: 'group:other/team_a',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^owner: "group:other\/team_a" cannot be recorded/,
      ),
    });
    expect(server.requests).toEqual([]);
  });

  it('adopts an existing repository of the same visibility, converging description and topics', async () => {
    await server.driver.createRepository('kestrel', 'shop', {
      description: 'old',
      topics: ['old'],
    });
    const result = await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      description: 'The shop',
      topics: ['paved'],
    });
    expect(result).toMatchObject({ created: false, adopted: true });
    expect(server.driver.repository('kestrel', 'shop')).toMatchObject({
      description: 'The shop',
      topics: ['paved'],
    });
    // Run again: nothing left to change.
    server.resetRequests();
    await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      description: 'The shop',
      topics: ['paved'],
    });
    expect(server.requests.map(r => r.route)).toEqual([
      'POST /orgs/{org}/repos',
      'GET /repos/{owner}/{repo}',
      // Whether it holds content: git's reference discovery, no API call.
      'GIT GET info/refs?service=git-upload-pack',
      'GIT POST git-upload-pack',
    ]);
  });

  it('changes nothing on an existing repository with other content, and the push is a conflict', async () => {
    await server.driver.createRepository('kestrel', 'shop', {
      description: 'Theirs',
      topics: ['theirs'],
      files: { 'README.md': '# theirs\n' },
    });
    const result = await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      description: 'The shop',
      topics: ['paved'],
    });
    expect(result).toMatchObject({ created: false, adopted: true });
    expect(server.driver.repository('kestrel', 'shop')).toMatchObject({
      description: 'Theirs',
      topics: ['theirs'],
    });
    expect(
      server.requests.filter(r => r.kind === 'rest' && r.method !== 'GET'),
    ).toEqual([expect.objectContaining({ route: 'POST /orgs/{org}/repos' })]);
    await expect(pushShop()).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'kestrel/shop already holds other content on main',
      ),
    });
    expect(await server.driver.files('kestrel', 'shop')).toEqual({
      'README.md': '# theirs\n',
    });
  });

  it('names the missing repo scope of a token that cannot create repositories, and keeps 404 for what is not there', async () => {
    const limited = await serviceWithToken(server, {
      token: 'ghp_org',
      login: 'dev',
      scopes: ['read:org'],
    });
    await expect(
      limited.createRepository({ owner: 'kestrel', name: 'shop' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "creating repository kestrel/shop failed: the GitHub token lacks the scope this needs: 'repo' or 'public_repo' (the token has 'read:org'). GitHub answered 404 Not Found, as it does to a token without the scope",
    });
    expect(server.driver.repository('kestrel', 'shop')).toBeUndefined();
    // A token with the scope gets the plain 404 for an organisation that does not exist.
    await expect(
      service.createRepository({ owner: 'nobody', name: 'shop' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining(
        'creating repository nobody/shop failed: GitHub answered 404 Not Found',
      ),
    });
  });

  it('refuses to adopt a repository of another visibility', async () => {
    await server.driver.createRepository('kestrel', 'shop', { private: false });
    await expect(
      service.createRepository({ owner: 'kestrel', name: 'shop' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'kestrel/shop already exists as a public repository, not private; Paved will not adopt it',
    });
  });

  it('pushes the workspace as the first commit over git, honouring .gitignore', async () => {
    await service.createRepository({ owner: 'kestrel', name: 'shop' });
    const result = await service.pushInitialContent({
      owner: 'kestrel',
      name: 'shop',
      sourceDir: workspace.path,
      branch: 'main',
      message: 'Create shop from the node-service template',
    });
    expect(result.pushed).toBe(true);
    expect(await server.driver.head('kestrel', 'shop', 'main')).toBe(
      result.commitSha,
    );
    const dir = await clone('shop');
    expect(await fs.readFile(path.join(dir, 'README.md'), 'utf8')).toBe(
      '# shop\n',
    );
    await expect(fs.stat(path.join(dir, 'node_modules'))).rejects.toThrow();
    const { stdout } = await run('git', ['log', '--format=%an <%ae>|%s'], {
      cwd: dir,
    });
    expect(stdout.trim()).toBe(
      'Paved <paved@users.noreply.github.com>|Create shop from the node-service template',
    );
    // No .git was left in the workspace.
    await expect(fs.stat(path.join(workspace.path, '.git'))).rejects.toThrow();
    expect(server.requests.filter(r => r.kind === 'rest')).toHaveLength(1);
  });

  it('is a no-op when the branch already holds exactly this tree, and a conflict when it holds other content', async () => {
    await service.createRepository({ owner: 'kestrel', name: 'shop' });
    const first = await pushShop();
    const again = await pushShop();
    expect(again).toEqual({ commitSha: first.commitSha, pushed: false });
    workspace.addContent({ 'README.md': '# changed\n' });
    await expect(pushShop()).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'kestrel/shop already holds other content on main',
      ),
    });
  });

  it('refuses to push into a repository that has content on other branches', async () => {
    await server.driver.createRepository('kestrel', 'shop', {
      defaultBranch: 'master',
      files: { 'README.md': 'theirs' },
    });
    await expect(pushShop()).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already has content (branches master)'),
    });
  });

  it.each(['before-apply', 'after-apply'] as const)(
    'reports a network failure mid-push clearly, and a retry completes it (%s)',
    async when => {
      await service.createRepository({ owner: 'kestrel', name: 'shop' });
      server.driver.failNextPush('kestrel', 'shop', when);
      const error = await pushShop().catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(
        /^pushing the first commit to kestrel\/shop failed: the connection to 127\.0\.0\.1:\d+ broke during the push .*run the task again/,
      );
      const retry = await pushShop();
      expect(retry.pushed).toBe(when === 'before-apply');
      expect(await server.driver.head('kestrel', 'shop', 'main')).toBe(
        retry.commitSha,
      );
      expect(await server.driver.files('kestrel', 'shop')).toMatchObject({
        'README.md': '# shop\n',
      });
    },
  );

  it('names the missing workflow scope when GitHub refuses workflow files', async () => {
    const limited = await serviceWithToken(server, {
      token: 'ghp_noflow',
      login: 'dev',
      scopes: ['repo'],
    });
    await limited.createRepository({ owner: 'kestrel', name: 'shop' });
    await expect(
      limited.pushInitialContent({
        owner: 'kestrel',
        name: 'shop',
        sourceDir: workspace.path,
        branch: 'main',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /refusing to allow a Personal Access Token to create or update workflow `.github\/workflows\/ci.yaml` without `workflow` scope.* Give the token the 'workflow' scope\./,
      ),
    });
  });

  it('retries the 404s and 422s GitHub answers right after creating a repository', async () => {
    server.driver.setTransientErrorsAfterCreate({
      notFound: 2,
      unprocessable: 1,
    });
    await service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      topics: ['paved'],
    });
    expect(server.driver.repository('kestrel', 'shop')!.topics).toEqual([
      'paved',
    ]);
    expect(
      server.requests
        .filter(r => r.route === 'PUT /repos/{owner}/{repo}/topics')
        .map(r => r.status),
    ).toEqual([404, 404, 422, 200]);
  });

  it.each([
    [
      'My Repo',
      "name: invalid repository name \"My Repo\"; expected 1 to 100 ASCII letters, digits, '.', '-' or '_' (GitHub would rename it to \"My-Repo\")",
    ],
    ['', 'name: invalid repository name ""'],
    ['x'.repeat(101), 'name: invalid repository name'],
    ['shop.git', 'may not end in ".git"'],
    ['..', '"." and ".." are reserved'],
  ])(
    'refuses the repository name %j before asking GitHub',
    async (name, message) => {
      await expect(
        service.createRepository({ owner: 'kestrel', name }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
      expect(server.requests).toEqual([]);
    },
  );

  it('refuses an owner outside paved.github.allowedOwners before asking GitHub', async () => {
    const { service: strict } = await startServiceOnTestServer({
      server,
      paved: { github: { allowedOwners: ['Kestrel'] } },
    });
    await expect(
      strict.createRepository({ owner: 'acme', name: 'shop' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'owner: "acme" is not a GitHub owner Paved may create or change repositories in; paved.github.allowedOwners allows "kestrel"',
    });
    expect(server.requests).toEqual([]);
    await expect(
      strict.createRepository({ owner: 'KESTREL', name: 'shop' }),
    ).resolves.toMatchObject({ created: true });
  });
});
