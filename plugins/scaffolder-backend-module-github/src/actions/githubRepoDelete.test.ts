import { createGitHubRepoDeleteAction } from './githubRepoDelete';
import { examples } from './githubRepoDelete.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  restartHarness,
  runAction,
  useHarness,
  OWNED_BY_TEAM_A,
} from '../__testUtils__/harness';

describe('paved:github:repo:delete', () => {
  const h = useHarness({
    scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
  });
  const workspace = { 'README.md': '# shop\n' };

  /** The repository and first commit paved:publish leaves (its default author), and CODEOWNERS. */
  async function publish() {
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
    await h.server.driver.commit(
      'kestrel',
      'shop',
      'main',
      workspace,
      'initial commit',
      { name: 'Scaffolder', email: 'scaffolder@backstage.io' },
    );
    await h.service.ensureCodeOwners({
      owner: 'kestrel',
      name: 'shop',
      content: '* @kestrel/storefront\n',
    });
  }

  beforeEach(async () => {
    await publish();
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server, then again as a retried and as a new task: %s',
    async (_, example) => {
      const input = exampleInput(example);
      if (input.force) {
        // Work done since the golden path: what force is for.
        await h.server.driver.commit('kestrel', 'shop', 'feature', {
          'x.ts': 'work\n',
        });
      }
      const action = createGitHubRepoDeleteAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      expect(run.outputs).toEqual({ skipped: false, action: 'deleted' });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      expect(h.server.driver.repository('kestrel', 'shop')).toBeUndefined();
      expect(run.keys).toEqual([
        'paved.github.repo-delete.github.com/kestrel/shop',
      ]);
      expect(run.lines).toContain('info: Deleted kestrel/shop');

      h.server.resetRequests();
      const retried = await runAction(action, input, { store: run.store });
      expect(retried.outputs).toEqual({ skipped: false, action: 'deleted' });
      expect(h.server.requests).toEqual([]);
      const anew = await runAction(action, input);
      expect(anew.outputs).toEqual({ skipped: false, action: 'not-found' });
    },
  );

  it('refuses a repository with work in it, deleting nothing and checkpointing nothing', async () => {
    await h.server.driver.commit(
      'kestrel',
      'shop',
      'main',
      { 'src/index.ts': 'work\n' },
      'Start',
      { name: 'Jo Developer', email: 'jo@kestrel.example' },
    );
    const run = await runAction(createGitHubRepoDeleteAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
    });
    expect(run.error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'kestrel/shop holds more than Paved put there (1 commit on main by others, the newest',
      ),
    });
    expect(run.store.size).toBe(0);
    expect(h.server.driver.repository('kestrel', 'shop')).toBeDefined();
  });

  it('names the delete_repo scope when the token lacks it', async () => {
    await restartHarness(h);
    await publish();
    const run = await runAction(createGitHubRepoDeleteAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
    });
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "the GitHub token lacks the scope this needs: 'delete_repo'",
      ),
    });
    expect(h.server.driver.repository('kestrel', 'shop')).toBeDefined();
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    h.server.resetRequests();
    const input = { repoUrl: 'github.com?owner=kestrel&repo=shop' };
    const dry = await runAction(createGitHubRepoDeleteAction(h), input, {
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({ skipped: false, action: 'none' });
    expect(dry.lines).toContain('info: Dry run: would delete kestrel/shop');
    const local = await runAction(
      createGitHubRepoDeleteAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toEqual({ skipped: true, action: 'none' });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: deleting (the forge deletes it with DELETE /api/forge/-/repos/kestrel/shop) skipped',
    );
    expect(h.server.requests).toEqual([]);
    expect(h.server.driver.repository('kestrel', 'shop')).toBeDefined();
  });
});
