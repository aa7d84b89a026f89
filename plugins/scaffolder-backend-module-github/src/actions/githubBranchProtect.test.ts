import { createGitHubBranchProtectAction } from './githubBranchProtect';
import { examples } from './githubBranchProtect.examples';
import {
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
  TEAM_A_MARKER,
} from '../__testUtils__/harness';

const workflow = [
  'name: CI',
  'on: { push: { branches: [main] }, pull_request: {} }',
  'jobs:',
  '  build: { runs-on: ubuntu-latest, steps: [{ run: npm test }] }',
  "  deploy: { runs-on: ubuntu-latest, if: github.event_name == 'push', steps: [] }",
].join('\n');

describe('paved:github:branch:protect', () => {
  const h = useHarness();

  beforeEach(async () => {
    await h.server.driver.createRepository('kestrel', 'shop', {
      topics: TEAM_A_MARKER,
      files: { 'README.md': '# shop\n' },
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server: %s',
    async (_, example) => {
      const input = exampleInput(example);
      const action = createGitHubBranchProtectAction(h);
      const run = await runAction(action, input, {
        workspace: { '.github/workflows/ci.yaml': workflow },
      });
      expect(run.error).toBeUndefined();
      const expectedChecks = input.requiredStatusChecks ?? ['build'];
      expect(run.outputs).toEqual({
        skipped: false,
        method: 'ruleset',
        rulesetId: expect.any(Number),
        branch: input.branch ?? '~DEFAULT_BRANCH',
        requiredStatusChecks: expectedChecks,
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      const [ruleset] = h.server.driver.repository('kestrel', 'shop')!.rulesets;
      expect(ruleset.conditions.ref_name.include).toEqual([
        input.branch ? `refs/heads/${input.branch}` : '~DEFAULT_BRANCH',
      ]);
      expect(
        ruleset.rules.find((r: any) => r.type === 'required_status_checks')
          .parameters.required_status_checks,
      ).toEqual(expectedChecks.map((context: string) => ({ context })));
      expect(
        ruleset.rules.find((r: any) => r.type === 'pull_request').parameters
          .required_approving_review_count,
      ).toBe(input.requiredApprovingReviewCount ?? 1);
      expect(run.keys).toEqual([
        `paved.github.branch-protection.github.com/kestrel/shop.${
          input.branch ?? '~DEFAULT_BRANCH'
        }`,
      ]);
    },
  );

  it('names the checks it took from the workflows, and the jobs it left out', async () => {
    const run = await runAction(
      createGitHubBranchProtectAction(h),
      { repoUrl: 'github.com?owner=kestrel&repo=shop' },
      { workspace: { '.github/workflows/ci.yaml': workflow } },
    );
    expect(run.lines).toEqual(
      expect.arrayContaining([
        'info: Required status checks from .github/workflows: build',
        "info: Not required: ci.yaml job deploy: runs only if github.event_name == 'push'",
      ]),
    );
  });

  it('resumes from its checkpoint instead of asking GitHub again, and converges when run anew', async () => {
    const action = createGitHubBranchProtectAction(h);
    const input = { repoUrl: 'github.com?owner=kestrel&repo=shop' };
    const first = await runAction(action, input);
    h.server.resetRequests();
    const resumed = await runAction(action, input, { store: first.store });
    expect(resumed.outputs).toEqual(first.outputs);
    expect(h.server.requests).toEqual([]);
    const fresh = await runAction(action, input);
    expect(fresh.outputs).toEqual(first.outputs);
    expect(
      h.server.driver.repository('kestrel', 'shop')!.rulesets,
    ).toHaveLength(1);
  });

  it('falls back to branch protection where rulesets are unavailable', async () => {
    h.server.driver.setRulesetSupport('upgrade-required');
    const run = await runAction(createGitHubBranchProtectAction(h), {
      repoUrl: 'github.com?owner=kestrel&repo=shop',
      requiredStatusChecks: ['build'],
    });
    expect(run.outputs).toMatchObject({
      method: 'branch-protection',
      branch: 'main',
    });
    expect(
      h.server.driver.repository('kestrel', 'shop')!.branchProtection.main,
    ).toBeDefined();
  });

  it('changes nothing in a dry run', async () => {
    const run = await runAction(
      createGitHubBranchProtectAction(h),
      { repoUrl: 'github.com?owner=kestrel&repo=shop' },
      { isDryRun: true, workspace: { '.github/workflows/ci.yaml': workflow } },
    );
    expect(run.outputs).toEqual({
      skipped: false,
      method: 'none',
      rulesetId: 0,
      branch: '~DEFAULT_BRANCH',
      requiredStatusChecks: ['build'],
    });
    expect(h.server.requests).toEqual([]);
    expect(run.keys).toEqual([]);
  });

  it('skips cleanly for a local-forge repository', async () => {
    const run = await runAction(
      createGitHubBranchProtectAction(onLocalForge(h)),
      { repoUrl: 'github.com?owner=kestrel&repo=shop' },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({ skipped: true, method: 'none' });
    expect(run.lines).toContain(
      'info: kestrel/shop lives on the local forge: branch protection skipped',
    );
    expect(h.server.requests).toEqual([]);
  });

  it('names a repoUrl without an owner', async () => {
    const run = await runAction(createGitHubBranchProtectAction(h), {
      repoUrl: 'github.com?repo=shop',
    });
    expect(run.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^repoUrl: "github.com\?repo=shop" names no owner/,
      ),
    });
  });
});
