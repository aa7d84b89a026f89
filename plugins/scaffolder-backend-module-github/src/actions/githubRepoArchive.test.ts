import { createGitHubRepoArchiveAction } from './githubRepoArchive';
import { examples } from './githubRepoArchive.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  OWNED_BY_TEAM_A,
} from '../__testUtils__/harness';

describe('paved:github:repo:archive', () => {
  const h = useHarness();

  beforeEach(async () => {
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server, then again as a retried and as a new task: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubRepoArchiveAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      expect(run.outputs).toEqual({ skipped: false, action: 'archived' });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      expect(h.server.driver.repository('kestrel', 'shop')!.archived).toBe(
        true,
      );
      expect(run.keys).toEqual([
        'paved.github.repo-archive.github.com/kestrel/shop',
      ]);
      expect(run.lines).toContain('info: Archived kestrel/shop');

      h.server.resetRequests();
      const retried = await runAction(action, input, { store: run.store });
      expect(retried.outputs).toEqual({ skipped: false, action: 'archived' });
      expect(h.server.requests).toEqual([]);
      const anew = await runAction(action, input);
      expect(anew.outputs).toEqual({ skipped: false, action: 'unchanged' });
    },
  );

  it('finds nothing to archive once the repository is gone', async () => {
    const run = await runAction(createGitHubRepoArchiveAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=gone',
    });
    expect(run.outputs).toEqual({ skipped: false, action: 'not-found' });
    expect(run.lines).toContain(
      'info: kestrel/gone does not exist; nothing to archive',
    );
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    h.server.resetRequests();
    const input = { repoUrl: 'github.com?owner=kestrel&repo=shop' };
    const dry = await runAction(createGitHubRepoArchiveAction(h), input, {
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({ skipped: false, action: 'none' });
    expect(dry.lines).toContain('info: Dry run: would archive kestrel/shop');
    const local = await runAction(
      createGitHubRepoArchiveAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toEqual({ skipped: true, action: 'none' });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: archiving (the forge has no archive; DELETE /api/forge/-/repos/kestrel/shop deletes it) skipped',
    );
    expect(h.server.requests).toEqual([]);
    expect(h.server.driver.repository('kestrel', 'shop')!.archived).toBe(false);
  });
});
