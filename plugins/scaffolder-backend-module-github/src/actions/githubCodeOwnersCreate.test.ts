import { createGitHubCodeOwnersCreateAction } from './githubCodeOwnersCreate';
import { examples } from './githubCodeOwnersCreate.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:codeowners:create', () => {
  const h = useHarness();

  beforeEach(async () => {
    await h.server.driver.createRepository('kestrel', 'shop', {
      topics: TEAM_A_MARKER,
      files: { 'README.md': 'x' },
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubCodeOwnersCreateAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      const path = input.path ?? '.github/CODEOWNERS';
      const owners = [
        '@kestrel/storefront',
        ...(input.additionalOwners ? ['@kestrel/platform'] : []),
      ];
      expect(run.outputs).toEqual({
        skipped: false,
        path,
        owners,
        action: 'created',
        commitSha: await h.server.driver.head('kestrel', 'shop', 'main'),
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      const files = await h.server.driver.files('kestrel', 'shop');
      expect(files[path]).toBe(
        `# Code owners of group:default/storefront, from the catalogue owner (written by Paved).\n* ${owners.join(
          ' ',
        )}\n`,
      );
      expect(run.keys).toEqual([
        `paved.github.codeowners.github.com/kestrel/shop.${path}`,
      ]);
      await expect(runAction(action, input)).resolves.toMatchObject({
        outputs: { action: 'unchanged', commitSha: '' },
      });
    },
  );

  it('makes a user owner the code owner by login', async () => {
    const run = await runAction(createGitHubCodeOwnersCreateAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'user:default/jdoe',
    });
    expect(run.outputs.owners).toEqual(['@jdoe']);
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    const input = {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'group:default/storefront',
    };
    const dry = await runAction(createGitHubCodeOwnersCreateAction(h), input, {
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({
      skipped: false,
      path: '.github/CODEOWNERS',
      owners: ['@kestrel/storefront'],
      action: 'none',
      commitSha: '',
    });
    const local = await runAction(
      createGitHubCodeOwnersCreateAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toMatchObject({ skipped: true, action: 'none' });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: .github/CODEOWNERS skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
