import { createGitHubPullRequestOpenAction } from './githubPullRequestOpen';
import { examples } from './githubPullRequestOpen.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

describe('paved:github:pull-request:open', () => {
  const h = useHarness();
  const workspace = {
    'deploy/deployment.yaml': 'kind: Deployment\n',
    'deploy/service.yaml': 'kind: Service\n',
    'README.md': 'not proposed',
  };

  beforeEach(async () => {
    await h.server.driver.createRepository('kestrel', 'gitops', {
      topics: TEAM_A_MARKER,
      files: { 'apps/README.md': 'apps\n' },
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubPullRequestOpenAction(h);
      const run = await runAction(action, input, { workspace });
      expect(run.error).toBeUndefined();
      expect(run.outputs).toEqual({
        skipped: false,
        status: 'opened',
        number: 1,
        pullRequestUrl: `${h.server.url}/kestrel/gitops/pull/1`,
        files: ['apps/shop/deployment.yaml', 'apps/shop/service.yaml'],
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      expect(
        await h.server.driver.files(
          'kestrel',
          'gitops',
          'refs/heads/paved/shop',
        ),
      ).toEqual({
        'apps/README.md': 'apps\n',
        'apps/shop/deployment.yaml': 'kind: Deployment\n',
        'apps/shop/service.yaml': 'kind: Service\n',
      });
      expect(
        h.server.driver.repository('kestrel', 'gitops')!.pullRequests,
      ).toEqual([
        expect.objectContaining({
          title: 'Deploy shop',
          head: 'paved/shop',
          base: 'main',
        }),
      ]);
      expect(run.keys).toEqual([
        'paved.github.pull-request.github.com/kestrel/gitops.paved/shop',
      ]);
      const again = await runAction(action, input, { workspace });
      expect(again.outputs).toMatchObject({ status: 'exists', number: 1 });
    },
  );

  it('keeps sourcePath inside the workspace', async () => {
    const run = await runAction(
      createGitHubPullRequestOpenAction(h),
      {
        repoUrl: 'github.com?owner=kestrel&repo=gitops',
        branchName: 'x',
        title: 'x',
        sourcePath: '../..',
      },
      { workspace },
    );
    expect(run.error).toBeDefined();
    expect(h.server.requests).toEqual([]);
  });

  it('changes nothing in a dry run, and skips for a local-forge repository', async () => {
    const input = exampleInput(examples[0].example);
    const dry = await runAction(createGitHubPullRequestOpenAction(h), input, {
      workspace,
      isDryRun: true,
    });
    expect(dry.outputs).toMatchObject({
      skipped: false,
      status: 'none',
      number: 0,
      pullRequestUrl: '',
    });
    const local = await runAction(
      createGitHubPullRequestOpenAction(onLocalForge(h)),
      input,
      { workspace },
    );
    expect(local.outputs).toMatchObject({ skipped: true, status: 'none' });
    expect(local.lines).toContain(
      'info: kestrel/gitops lives on the local forge: pull request paved/shop skipped',
    );
    expect(h.server.requests).toEqual([]);
  });
});
