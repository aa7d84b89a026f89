import { createMockDirectory } from '@backstage/backend-test-utils';
import { GitHubTestServer } from '@paved/testkit';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import {
  serviceWithToken,
  startServiceOnTestServer,
} from './__testUtils__/testService';

describe('DefaultGitHubRepoService: undoing a repository', () => {
  let server: GitHubTestServer;
  let service: DefaultGitHubRepoService;
  let deleter: DefaultGitHubRepoService;
  const workspace = createMockDirectory();
  const repo = { owner: 'kestrel', name: 'shop' };

  beforeEach(async () => {
    ({ server, service } = await startServiceOnTestServer());
    deleter = await serviceWithToken(server, {
      token: 'ghp_deleter',
      login: 'paved-bot',
      scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
    });
    workspace.setContent({ 'README.md': '# shop\n' });
  });

  afterEach(async () => {
    await server.close();
  });

  /** What a golden path leaves: the repository, its first commit (by paved:publish's default author) and CODEOWNERS. */
  async function publish() {
    await service.createRepository(repo);
    await service.pushInitialContent({
      ...repo,
      sourceDir: workspace.path,
      branch: 'main',
      author: { name: 'Scaffolder', email: 'scaffolder@backstage.io' },
    });
    await service.ensureCodeOwners({ ...repo, content: '* @kestrel/shop\n' });
  }

  describe('archiveRepository', () => {
    it('archives once, then finds it archived; a missing repository is nothing to undo', async () => {
      await publish();
      server.resetRequests();
      await expect(service.archiveRepository(repo)).resolves.toEqual({
        action: 'archived',
      });
      expect(server.driver.repository('kestrel', 'shop')!.archived).toBe(true);
      expect(server.requests.map(r => `${r.route} ${r.status}`)).toEqual([
        'GET /repos/{owner}/{repo} 200',
        'PATCH /repos/{owner}/{repo} 200',
      ]);
      await expect(service.archiveRepository(repo)).resolves.toEqual({
        action: 'unchanged',
      });
      await expect(
        service.archiveRepository({ owner: 'kestrel', name: 'gone' }),
      ).resolves.toEqual({ action: 'not-found' });
    });

    it('keeps to paved.github.allowedOwners and checks the name before asking GitHub', async () => {
      const { service: locked } = await startServiceOnTestServer({
        server,
        paved: { github: { allowedOwners: ['kestrel'] } },
      });
      server.resetRequests();
      await expect(
        locked.archiveRepository({ owner: 'someone-else', name: 'shop' }),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      await expect(
        locked.archiveRepository({ owner: 'kestrel', name: 'bad name' }),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(server.requests).toEqual([]);
    });
  });

  describe('deleteRepository', () => {
    it('deletes what a golden path created, and a second run finds nothing to do', async () => {
      await publish();
      server.resetRequests();
      await expect(deleter.deleteRepository(repo)).resolves.toEqual({
        action: 'deleted',
      });
      expect(server.driver.repository('kestrel', 'shop')).toBeUndefined();
      expect(
        server.requests
          .filter(r => r.kind === 'rest')
          .map(r => `${r.route} ${r.status}`),
      ).toEqual([
        'GET /repos/{owner}/{repo} 200',
        'GET /repos/{owner}/{repo}/commits 200',
        'DELETE /repos/{owner}/{repo} 204',
      ]);
      await expect(deleter.deleteRepository(repo)).resolves.toEqual({
        action: 'not-found',
      });
      // Gone means gone: the name can be published again.
      await expect(service.createRepository(repo)).resolves.toMatchObject({
        created: true,
      });
    });

    it("names the delete_repo scope a token lacks, GitHub's 403 naming none", async () => {
      await publish();
      await expect(service.deleteRepository(repo)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "deleting kestrel/shop failed: the GitHub token lacks the scope this needs: 'delete_repo' (the token has 'repo', 'admin:org', 'workflow'). GitHub answered 403: Must have admin rights to Repository.",
      });
      expect(server.driver.repository('kestrel', 'shop')).toBeDefined();
    });

    it('says what is needed when the token has the scope but its user no admin rights', async () => {
      await publish();
      // The creator's admin rights were replaced by push.
      server.driver.addUser('paved-bot');
      (server.driver as any)
        .repo('kestrel', 'shop')
        .collaborators.set('paved-bot', 'push');
      await expect(deleter.deleteRepository(repo)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "deleting kestrel/shop failed: Must have admin rights to Repository. Deleting needs admin rights on the repository (an organisation owner, or the creator's admin rights kept), and the organisation may allow only owners to delete repositories",
      });
      expect(server.driver.repository('kestrel', 'shop')).toBeDefined();
    });

    it('refuses a repository holding work of others, deleting nothing, unless forced', async () => {
      await publish();
      await server.driver.commit(
        'kestrel',
        'shop',
        'main',
        { 'src/index.ts': 'work\n' },
        'Start the service',
        { name: 'Jo Developer', email: 'jo@kestrel.example' },
      );
      await server.driver.commit('kestrel', 'shop', 'feature', {
        'x.ts': 'more work\n',
      });
      await expect(deleter.deleteRepository(repo)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^deleting kestrel\/shop refused: kestrel\/shop holds more than Paved put there \(branches feature; 1 commit on main by others, the newest [0-9a-f]{7} by Jo Developer\), which deleting it would lose; archive it instead, or delete it with force$/,
        ),
      });
      expect(server.driver.repository('kestrel', 'shop')).toBeDefined();
      await expect(
        deleter.deleteRepository({ ...repo, force: true }),
      ).resolves.toEqual({ action: 'deleted' });
    });

    it('deletes an empty repository (publishing failed before the first push)', async () => {
      await service.createRepository(repo);
      await expect(deleter.deleteRepository(repo)).resolves.toEqual({
        action: 'deleted',
      });
    });

    it('deletes as a GitHub App with administration write, and names the permission otherwise', async () => {
      await publish();
      const readOnly = server.createApp({
        permissions: { administration: 'read', contents: 'read' },
      });
      const { service: weak } = await startServiceOnTestServer({
        server,
        apps: [readOnly],
      });
      await expect(weak.deleteRepository(repo)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          "deleting kestrel/shop failed: the GitHub App installation lacks the permission this needs: 'administration: write'. GitHub said: Resource not accessible by integration",
      });
      const admin = server.createApp();
      const { service: asApp } = await startServiceOnTestServer({
        server,
        apps: [admin],
      });
      await expect(asApp.deleteRepository(repo)).resolves.toEqual({
        action: 'deleted',
      });
    });
  });
});
