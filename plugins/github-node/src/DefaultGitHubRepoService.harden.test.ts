import { GitHubTestServer } from '@paved/testkit';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import {
  serviceWithToken,
  startServiceOnTestServer,
} from './__testUtils__/testService';

describe('DefaultGitHubRepoService: hardening', () => {
  let server: GitHubTestServer;
  let service: DefaultGitHubRepoService;
  let lines: string[];
  const repo = { owner: 'kestrel', name: 'shop' };

  beforeEach(async () => {
    let logger;
    ({ server, service, logger } = await startServiceOnTestServer());
    lines = logger.lines;
    await server.driver.createRepository('kestrel', 'shop', {
      files: { 'README.md': '# shop\n' },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  const routes = () => server.requests.map(r => `${r.route} ${r.status}`);

  describe('protectDefaultBranch', () => {
    it('creates a ruleset: reviews with code owners, the CI checks, no force-push or deletion', async () => {
      const result = await service.protectDefaultBranch({
        ...repo,
        requiredStatusChecks: ['build', 'lint'],
      });
      expect(result).toEqual({
        method: 'ruleset',
        action: 'created',
        rulesetId: expect.any(Number),
        branch: '~DEFAULT_BRANCH',
        requiredStatusChecks: ['build', 'lint'],
      });
      const [ruleset] = server.driver.repository('kestrel', 'shop')!.rulesets;
      expect(ruleset).toMatchObject({
        id: result.rulesetId,
        name: 'paved-default-branch',
        target: 'branch',
        enforcement: 'active',
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: [
          { type: 'deletion' },
          { type: 'non_fast_forward' },
          {
            type: 'pull_request',
            parameters: {
              required_approving_review_count: 1,
              require_code_owner_review: true,
              dismiss_stale_reviews_on_push: true,
            },
          },
          {
            type: 'required_status_checks',
            parameters: {
              strict_required_status_checks_policy: true,
              required_status_checks: [
                { context: 'build' },
                { context: 'lint' },
              ],
            },
          },
        ],
      });
      expect(routes()).toEqual(['POST /repos/{owner}/{repo}/rulesets 201']);
    });

    it('leaves an identical ruleset alone, and refuses to touch a changed one', async () => {
      const first = await service.protectDefaultBranch({
        ...repo,
        requiredStatusChecks: ['build'],
      });
      server.resetRequests();
      const again = await service.protectDefaultBranch({
        ...repo,
        requiredStatusChecks: ['build'],
      });
      expect(again).toMatchObject({
        action: 'unchanged',
        rulesetId: first.rulesetId,
      });
      expect(routes()).toEqual([
        'POST /repos/{owner}/{repo}/rulesets 422',
        'GET /repos/{owner}/{repo}/rulesets 200',
        'GET /repos/{owner}/{repo}/rulesets/{id} 200',
      ]);
      await expect(
        service.protectDefaultBranch({
          ...repo,
          requiredStatusChecks: ['test'],
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: `kestrel/shop already has a ruleset named paved-default-branch with other rules (ruleset ${first.rulesetId}); Paved will not change it`,
      });
    });

    it.each(['not-found', 'upgrade-required'] as const)(
      'falls back to branch protection where rulesets are unavailable (%s)',
      async support => {
        server.driver.setRulesetSupport(support);
        const result = await service.protectDefaultBranch({
          ...repo,
          requiredStatusChecks: ['build'],
        });
        expect(result).toEqual({
          method: 'branch-protection',
          action: 'created',
          rulesetId: 0,
          branch: 'main',
          requiredStatusChecks: ['build'],
        });
        expect(
          server.driver.repository('kestrel', 'shop')!.branchProtection.main,
        ).toEqual({
          required_status_checks: { strict: true, contexts: ['build'] },
          enforce_admins: true,
          required_pull_request_reviews: {
            required_approving_review_count: 1,
            require_code_owner_reviews: true,
            dismiss_stale_reviews: true,
          },
          restrictions: null,
          allow_force_pushes: false,
          allow_deletions: false,
        });
        server.resetRequests();
        await expect(
          service.protectDefaultBranch({
            ...repo,
            requiredStatusChecks: ['build'],
          }),
        ).resolves.toMatchObject({
          method: 'branch-protection',
          action: 'unchanged',
        });
        expect(routes()).not.toContain(
          'PUT /repos/{owner}/{repo}/branches/{branch}/protection 200',
        );
        await expect(
          service.protectDefaultBranch({ ...repo, requiredStatusChecks: [] }),
        ).rejects.toMatchObject({ name: 'ConflictError' });
      },
    );

    it('says so when neither rulesets nor branch protection are available', async () => {
      server.driver.setRulesetSupport('upgrade-required');
      server.driver.setBranchProtectionSupport('upgrade-required');
      await expect(service.protectDefaultBranch(repo)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'neither rulesets nor branch protection are available for kestrel/shop on its GitHub plan (Upgrade to GitHub Pro',
        ),
      });
    });

    it('asks for the first commit before classic protection of an empty repository', async () => {
      await server.driver.createRepository('kestrel', 'empty');
      server.driver.setRulesetSupport('not-found');
      await expect(
        service.protectDefaultBranch({ owner: 'kestrel', name: 'empty' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'push the first commit before protecting it',
        ),
      });
    });
  });

  describe('grantTeamAccess', () => {
    it('grants the role once, then finds it in place', async () => {
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'maintain',
        }),
      ).resolves.toEqual({
        team: 'storefront',
        permission: 'maintain',
        action: 'granted',
        creatorAdmin: 'kept',
      });
      expect(server.driver.repository('kestrel', 'shop')!.teams).toEqual({
        storefront: 'maintain',
      });
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'maintain',
        }),
      ).resolves.toMatchObject({ action: 'unchanged' });
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'admin',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'team storefront already has the maintain role on kestrel/shop, not admin; Paved will not change it',
      });
    });

    it('names an unknown team and an unknown role', async () => {
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'nobody',
          permission: 'push',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining(
          'organisation kestrel has no team "nobody"',
        ),
      });
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'owner' as any,
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'permission: "owner" is not a GitHub repository role',
        ),
      });
    });

    it("removes the creator's admin rights when asked", async () => {
      const { service: creator } = await startServiceOnTestServer({ server });
      await creator.createRepository({ owner: 'kestrel', name: 'fresh' });
      expect(
        server.driver.repository('kestrel', 'fresh')!.collaborators,
      ).toEqual({
        'paved-bot': 'admin',
      });
      await expect(
        creator.grantTeamAccess({
          owner: 'kestrel',
          name: 'fresh',
          team: 'storefront',
          permission: 'maintain',
          removeCreatorAdmin: true,
        }),
      ).resolves.toMatchObject({
        creatorAdmin: 'removed',
        creator: 'paved-bot',
      });
      expect(
        server.driver.repository('kestrel', 'fresh')!.collaborators,
      ).toEqual({});
    });

    it('names the missing admin:org scope of a token that cannot manage teams', async () => {
      const limited = await serviceWithToken(server, {
        token: 'ghp_repo',
        login: 'dev',
        scopes: ['repo', 'workflow'],
      });
      await expect(
        limited.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'push',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "granting team storefront push on kestrel/shop failed: the GitHub token lacks the scope this needs: 'admin:org' (the token has 'repo', 'workflow'). GitHub answered 404 Not Found, as it does to a token without the scope",
      });
    });
  });

  describe('ensureEnvironments', () => {
    const three = [
      { name: 'development' },
      { name: 'staging' },
      {
        name: 'production',
        waitTimer: 15,
        reviewers: [{ team: 'storefront' }],
        preventSelfReview: true,
      },
    ];

    it('creates development, staging and production with reviewers and a wait timer; a rerun changes nothing', async () => {
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).resolves.toEqual({
        created: ['development', 'staging', 'production'],
        unchanged: [],
      });
      expect(server.driver.repository('kestrel', 'shop')!.environments).toEqual(
        {
          development: {
            waitTimer: 0,
            preventSelfReview: false,
            reviewers: [],
            deploymentBranchPolicy: null,
          },
          staging: {
            waitTimer: 0,
            preventSelfReview: false,
            reviewers: [],
            deploymentBranchPolicy: null,
          },
          production: {
            waitTimer: 15,
            preventSelfReview: true,
            reviewers: [
              {
                type: 'Team',
                id: server.driver.teamId('kestrel', 'storefront'),
              },
            ],
            deploymentBranchPolicy: null,
          },
        },
      );
      server.resetRequests();
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).resolves.toEqual({
        created: [],
        unchanged: ['development', 'staging', 'production'],
      });
      expect(routes()).toEqual(['GET /repos/{owner}/{repo}/environments 200']);
    });

    it('after a failure mid-way reports nothing done, and the retry completes it', async () => {
      server.driver.injectFault({
        method: 'PUT',
        path: '/repos/kestrel/shop/environments/production',
        status: 403,
        message: 'Resource not accessible by integration',
      });
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'creating environment production of kestrel/shop failed',
        ),
      });
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).resolves.toEqual({
        created: ['production'],
        unchanged: ['development', 'staging'],
      });
    });

    it('refuses environments that exist with other rules, and writes nothing', async () => {
      const { service: other } = await startServiceOnTestServer({ server });
      await other.ensureEnvironments({
        ...repo,
        environments: [
          { name: 'production', waitTimer: 1 },
          { name: 'staging' },
        ],
      });
      server.resetRequests();
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'kestrel/shop already has environment production with other protection rules; Paved will not change them',
      });
      expect(server.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    it('configures an environment GitHub created without rules (a workflow named it first)', async () => {
      const { service: other } = await startServiceOnTestServer({ server });
      await other.ensureEnvironments({
        ...repo,
        environments: [{ name: 'production' }],
      });
      await expect(
        service.ensureEnvironments({ ...repo, environments: three }),
      ).resolves.toEqual({
        created: ['development', 'staging', 'production'],
        unchanged: [],
      });
      expect(
        server.driver.repository('kestrel', 'shop')!.environments.production
          .waitTimer,
      ).toBe(15);
    });

    it('refuses bad settings with the field named', async () => {
      await expect(
        service.ensureEnvironments({
          ...repo,
          environments: [{ name: 'production', waitTimer: 50000 }],
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^environments\[0\]\.waitTimer: 50000 is not allowed/,
        ),
      });
      await expect(
        service.ensureEnvironments({
          ...repo,
          environments: [{ name: 'x', reviewers: [{ team: 'nobody' }] }],
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'reviewers: organisation kestrel has no team "nobody"',
      });
    });
  });

  describe('secrets and variables', () => {
    const value = 'npm_S3cr3t-Value-7f1c';

    it('seals secrets with the repository key: the server opens them to the value sent', async () => {
      await expect(
        service.setActionsSecrets({
          ...repo,
          secrets: { NPM_TOKEN: value, OTHER: 'two' },
        }),
      ).resolves.toEqual({ created: ['NPM_TOKEN', 'OTHER'], updated: [] });
      expect(
        await server.driver.decryptSecret('kestrel', 'shop', 'NPM_TOKEN'),
      ).toBe(value);
      await expect(
        service.setActionsSecrets({ ...repo, secrets: { NPM_TOKEN: value } }),
      ).resolves.toEqual({ created: [], updated: ['NPM_TOKEN'] });
    });

    it('never lets a secret value reach a log line or an error message', async () => {
      await service.setActionsSecrets({
        ...repo,
        secrets: { NPM_TOKEN: value },
      });
      server.driver.injectFault({
        method: 'PUT',
        path: '/repos/kestrel/shop/actions/secrets/NPM_TOKEN',
        status: 422,
        message: 'Validation Failed',
      });
      const error = await service
        .setActionsSecrets({ ...repo, secrets: { NPM_TOKEN: value } })
        .catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain(
        'setting Actions secret NPM_TOKEN of kestrel/shop failed',
      );
      const seen = [
        error.message,
        error.stack,
        JSON.stringify(error),
        ...lines,
      ].join('\n');
      expect(lines.length).toBeGreaterThan(0);
      expect(seen).not.toContain(value);
      // The sealed value is not echoed either.
      expect(seen).not.toMatch(/encrypted_value/);
    });

    it('refuses bad secret names and empty values before asking GitHub', async () => {
      await expect(
        service.setActionsSecrets({ ...repo, secrets: { GITHUB_TOKEN: 'x' } }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          'secrets.GITHUB_TOKEN: invalid secret name',
        ),
      });
      await expect(
        service.setActionsSecrets({ ...repo, secrets: { EMPTY: '' } }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'secrets.EMPTY: the value is empty',
      });
      expect(server.requests).toEqual([]);
    });

    it('creates variables, finds the same values in place, and refuses other values', async () => {
      await expect(
        service.setActionsVariables({
          ...repo,
          variables: { REGION: 'eu-west-1', TIER: 'gold' },
        }),
      ).resolves.toEqual({ created: ['REGION', 'TIER'], unchanged: [] });
      await expect(
        service.setActionsVariables({
          ...repo,
          variables: { REGION: 'eu-west-1' },
        }),
      ).resolves.toEqual({ created: [], unchanged: ['REGION'] });
      // A 409 is an answer, not a fault: no retries.
      expect(routes().slice(-2)).toEqual([
        'POST /repos/{owner}/{repo}/actions/variables 409',
        'GET /repos/{owner}/{repo}/actions/variables/{name} 200',
      ]);
      await expect(
        service.setActionsVariables({
          ...repo,
          variables: { REGION: 'us-east-1' },
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'kestrel/shop already has Actions variable REGION with another value; Paved will not change it',
      });
      expect(server.driver.repository('kestrel', 'shop')!.variables).toEqual({
        REGION: 'eu-west-1',
        TIER: 'gold',
      });
    });
  });

  describe('ensureCodeOwners', () => {
    const content = '* @kestrel/storefront\n';

    it('adds .github/CODEOWNERS in one request, then finds it in place', async () => {
      await expect(
        service.ensureCodeOwners({ ...repo, content }),
      ).resolves.toEqual({
        path: '.github/CODEOWNERS',
        action: 'created',
        commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      expect(
        (await server.driver.files('kestrel', 'shop'))['.github/CODEOWNERS'],
      ).toBe(content);
      expect(routes()).toEqual([
        'PUT /repos/{owner}/{repo}/contents/{path+} 201',
      ]);
      await expect(
        service.ensureCodeOwners({ ...repo, content }),
      ).resolves.toMatchObject({
        action: 'unchanged',
      });
      await expect(
        service.ensureCodeOwners({ ...repo, content: '* @kestrel/platform\n' }),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    });

    it('explains that CODEOWNERS must come before the branch is protected', async () => {
      await service.protectDefaultBranch(repo);
      await expect(
        service.ensureCodeOwners({ ...repo, content }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          'add CODEOWNERS before protecting the branch',
        ),
      });
    });
  });

  describe('openPullRequest', () => {
    beforeEach(async () => {
      await server.driver.createRepository('kestrel', 'gitops', {
        files: { 'apps/README.md': 'apps\n' },
      });
    });

    const change = {
      owner: 'kestrel',
      name: 'gitops',
      branch: 'paved/shop',
      title: 'Deploy shop',
      body: 'Adds the shop application.',
      files: { 'apps/shop.yaml': 'name: shop\n' },
    };

    it('opens a pull request with the change on a new branch, and finds it on a rerun', async () => {
      const opened = await service.openPullRequest(change);
      expect(opened).toEqual({
        status: 'opened',
        number: 1,
        htmlUrl: `${server.url}/kestrel/gitops/pull/1`,
        branch: 'paved/shop',
        base: 'main',
      });
      expect(
        await server.driver.files('kestrel', 'gitops', 'refs/heads/paved/shop'),
      ).toEqual({
        'apps/README.md': 'apps\n',
        'apps/shop.yaml': 'name: shop\n',
      });
      expect(
        server.driver.repository('kestrel', 'gitops')!.pullRequests,
      ).toEqual([
        {
          number: 1,
          state: 'open',
          title: 'Deploy shop',
          body: 'Adds the shop application.',
          head: 'paved/shop',
          base: 'main',
        },
      ]);
      await expect(service.openPullRequest(change)).resolves.toMatchObject({
        status: 'exists',
        number: 1,
      });
    });

    it('reports up-to-date when the base already holds the change, and a conflict for a branch with other changes', async () => {
      await server.driver.commit('kestrel', 'gitops', 'main', {
        'apps/shop.yaml': 'name: shop\n',
      });
      await expect(service.openPullRequest(change)).resolves.toMatchObject({
        status: 'up-to-date',
        number: 0,
      });
      await server.driver.commit('kestrel', 'gitops', 'paved/other', {
        x: '1',
      });
      await expect(
        service.openPullRequest({
          ...change,
          branch: 'paved/other',
          files: { 'apps/other.yaml': 'y' },
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'kestrel/gitops already has a branch paved/other with other changes; Paved will not overwrite it',
      });
    });

    it('refuses paths outside the repository', async () => {
      await expect(
        service.openPullRequest({ ...change, files: { '../etc/passwd': 'x' } }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });
  });

  describe('on a repository this service has just created', () => {
    it('writes team roles and environments without reading them first', async () => {
      await service.createRepository({ owner: 'kestrel', name: 'fresh' });
      const fresh = { owner: 'kestrel', name: 'fresh' };
      server.resetRequests();
      await service.grantTeamAccess({
        ...fresh,
        team: 'storefront',
        permission: 'maintain',
      });
      await service.ensureEnvironments({
        ...fresh,
        environments: [
          { name: 'development' },
          { name: 'production', reviewers: [{ team: 'storefront' }] },
        ],
      });
      expect(routes()).toEqual([
        'PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo} 204',
        'GET /orgs/{org}/teams/{team_slug} 200',
        'PUT /repos/{owner}/{repo}/environments/{environment_name} 200',
        'PUT /repos/{owner}/{repo}/environments/{environment_name} 200',
      ]);
      // Run again in the window: the same writes, the same end state.
      await service.ensureEnvironments({
        ...fresh,
        environments: [
          { name: 'development' },
          { name: 'production', reviewers: [{ team: 'storefront' }] },
        ],
      });
      expect(
        server.driver.repository('kestrel', 'fresh')!.environments.production
          .reviewers,
      ).toEqual([
        { type: 'Team', id: server.driver.teamId('kestrel', 'storefront') },
      ]);
    });
  });

  it('checks again once a second creation found the repository existing', async () => {
    await service.createRepository({ owner: 'kestrel', name: 'fresh' });
    await service.createRepository({ owner: 'kestrel', name: 'fresh' });
    server.resetRequests();
    await service.grantTeamAccess({
      owner: 'kestrel',
      name: 'fresh',
      team: 'storefront',
      permission: 'push',
    });
    expect(routes()[0]).toBe('GET /repos/{owner}/{repo}/teams 200');
  });

  describe('rate limits and faults', () => {
    it.each([403, 429] as const)(
      'stops with a clear error when the primary budget is spent (%s), without waiting for the reset',
      async status => {
        server.driver.setRateLimitStatus(status);
        server.driver.setRateLimit(server.token, {
          remaining: 0,
          resetInSeconds: 3000,
        });
        const started = Date.now();
        const error = await service
          .grantTeamAccess({ ...repo, team: 'storefront', permission: 'push' })
          .catch(e => e);
        expect(Date.now() - started).toBeLessThan(2000);
        expect(error.name).toBe('GitHubRateLimitError');
        expect(error.limit).toBe('primary');
        expect(error.message).toMatch(
          /^granting team storefront push on kestrel\/shop failed: the GitHub API rate limit of these credentials is spent \(0 of 5000 requests left\); it resets at .* \(in 50 min\), later than Paved waits \(60 s\)\. Run the task again after the reset; finished steps are kept\.$/,
        );
      },
    );

    it('waits for a reset that comes within the allowed wait, then carries on', async () => {
      server.driver.setRateLimit(server.token, {
        remaining: 0,
        resetInSeconds: 1,
      });
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'push',
        }),
      ).resolves.toMatchObject({ action: 'granted' });
    });

    it('honours retry-after on a secondary limit', async () => {
      server.driver.triggerSecondaryRateLimit({ retryAfter: 1, requests: 1 });
      await expect(
        service.setActionsVariables({ ...repo, variables: { REGION: 'eu' } }),
      ).resolves.toEqual({ created: ['REGION'], unchanged: [] });
      expect(routes()).toEqual([
        'POST /repos/{owner}/{repo}/actions/variables 403',
        'POST /repos/{owner}/{repo}/actions/variables 201',
      ]);
    });

    it('gives up on secondary limits that keep coming, with a clear error', async () => {
      server.driver.triggerSecondaryRateLimit({ retryAfter: 120, requests: 5 });
      await expect(
        service.setActionsVariables({ ...repo, variables: { REGION: 'eu' } }),
      ).rejects.toMatchObject({
        name: 'GitHubRateLimitError',
        limit: 'secondary',
        message: expect.stringContaining(
          "GitHub's secondary rate limit refused the request (retry after 120 s)",
        ),
      });
    });

    it('retries a 502 and a cut connection', async () => {
      server.driver.injectFault({
        path: '/repos/kestrel/shop/teams',
        status: 502,
      });
      server.driver.injectFault({
        method: 'PUT',
        path: /\/teams\/storefront\/repos\//,
        dropConnection: true,
      });
      await expect(
        service.grantTeamAccess({
          ...repo,
          team: 'storefront',
          permission: 'push',
        }),
      ).resolves.toMatchObject({ action: 'granted' });
    });
  });

  describe('GitHub App credentials', () => {
    it('acts as the app installation, and names a missing permission', async () => {
      const app = server.createApp({
        permissions: {
          administration: 'write',
          metadata: 'read',
          contents: 'write',
        },
      });
      const { service: asApp } = await startServiceOnTestServer({
        server,
        apps: [app],
      });
      const created = await asApp.createRepository({
        owner: 'kestrel',
        name: 'by-app',
      });
      expect(created.created).toBe(true);
      expect(
        server.driver.repository('kestrel', 'by-app')!.collaborators,
      ).toEqual({});
      expect(
        server.requests.filter(r => r.identity === 'app').map(r => r.route),
      ).toEqual([
        'GET /app/installations',
        'POST /app/installations/{installation_id}/access_tokens',
      ]);
      await expect(
        asApp.grantTeamAccess({
          owner: 'kestrel',
          name: 'by-app',
          team: 'storefront',
          permission: 'push',
          removeCreatorAdmin: true,
        }),
      ).resolves.toMatchObject({
        action: 'granted',
        creatorAdmin: 'not-applicable',
      });
      await expect(
        asApp.ensureEnvironments({
          ...repo,
          environments: [{ name: 'development' }],
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          "the GitHub App installation lacks the permission this needs: 'actions: read'",
        ),
      });
      await expect(
        asApp.setActionsSecrets({
          owner: 'kestrel',
          name: 'by-app',
          secrets: { A: 'b' },
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "reading the Actions public key of kestrel/by-app failed: the GitHub App installation lacks the permission this needs: 'secrets: read'. GitHub said: Resource not accessible by integration",
      });
    });
  });
});
