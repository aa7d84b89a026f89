import { createGitHubVariablesSetAction } from './githubVariablesSet';
import { examples } from './githubVariablesSet.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:variables:set', () => {
  const h = useHarness();

  beforeEach(async () => {
    await h.server.driver.createRepository('kestrel', 'shop', {
      topics: TEAM_A_MARKER,
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubVariablesSetAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      const names = Object.keys(input.variables);
      expect(run.outputs).toEqual({
        skipped: false,
        created: names,
        unchanged: [],
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      expect(h.server.driver.repository('kestrel', 'shop')!.variables).toEqual(
        input.variables,
      );
      expect(run.keys).toEqual([
        `paved.github.actions-variables.github.com/kestrel/shop.${names.join(
          ',',
        )}`,
      ]);
      await expect(runAction(action, input)).resolves.toMatchObject({
        outputs: { created: [], unchanged: names },
      });
    },
  );

  it('refuses to change a variable set to another value', async () => {
    const action = createGitHubVariablesSetAction(h);
    await runAction(action, {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      variables: { OWNER: 'a' },
    });
    const run = await runAction(action, {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      variables: { OWNER: 'b' },
    });
    expect(run.error).toMatchObject({ name: 'ConflictError' });
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    const input = {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      variables: { OWNER: 'x' },
    };
    const dry = await runAction(createGitHubVariablesSetAction(h), input, {
      isDryRun: true,
    });
    expect(dry.outputs).toEqual({ skipped: false, created: [], unchanged: [] });
    const local = await runAction(
      createGitHubVariablesSetAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toMatchObject({ skipped: true });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: Actions variables OWNER skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
