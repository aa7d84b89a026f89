import { createGitHubEnvironmentsCreateAction } from './githubEnvironmentsCreate';
import { examples } from './githubEnvironmentsCreate.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:environments:create', () => {
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
      const action = createGitHubEnvironmentsCreateAction(h);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      const names = input.environments?.map((e: any) => e.name) ?? [
        'development',
        'staging',
        'production',
      ];
      expect(run.outputs).toEqual({
        skipped: false,
        environments: names,
        created: names,
        unchanged: [],
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      const envs = h.server.driver.repository('kestrel', 'shop')!.environments;
      expect(Object.keys(envs)).toEqual(names);
      const team = (slug: string) => ({
        type: 'Team',
        id: h.server.driver.teamId('kestrel', slug),
      });
      const open = {
        waitTimer: 0,
        preventSelfReview: false,
        reviewers: [],
        deploymentBranchPolicy: null,
      };
      const expected = input.environments
        ? {
            preview: open,
            live: {
              waitTimer: 30,
              preventSelfReview: true,
              reviewers: [team('platform'), team('storefront')],
              deploymentBranchPolicy: null,
            },
          }
        : {
            development: open,
            staging: open,
            production: {
              waitTimer: input.productionWaitTimer,
              preventSelfReview: false,
              reviewers: [team('storefront')],
              deploymentBranchPolicy: null,
            },
          };
      expect(envs).toEqual(expected);
      expect(run.keys).toEqual([
        `paved.github.environments.github.com/kestrel/shop.${names.join(',')}`,
      ]);
      const again = await runAction(action, input);
      expect(again.outputs).toMatchObject({ created: [], unchanged: names });
    },
  );

  it('wants the owner when it makes the default environments', async () => {
    const run = await runAction(createGitHubEnvironmentsCreateAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
    });
    expect(run.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^owner: needed/),
    });
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    const input = {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      owner: 'group:default/storefront',
    };
    const dry = await runAction(
      createGitHubEnvironmentsCreateAction(h),
      input,
      { isDryRun: true },
    );
    expect(dry.outputs).toEqual({
      skipped: false,
      environments: ['development', 'staging', 'production'],
      created: [],
      unchanged: [],
    });
    expect(dry.lines).toContain(
      'info: Dry run: would create environment production of kestrel/shop (reviewers team storefront, wait 5 min)',
    );
    const local = await runAction(
      createGitHubEnvironmentsCreateAction(onLocalForge(h)),
      input,
    );
    expect(local.outputs).toMatchObject({ skipped: true, created: [] });
    expect(local.lines).toContain(
      'info: kestrel/shop lives on the local forge: environments development, staging, production skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
