import { startGitHubTestServer } from '@paved/testkit';
import {
  exampleInput,
  moduleActions,
  runAction,
  TEAM_A_MARKER,
} from './__testUtils__/harness';

describe('scaffolderModulePavedGitHub', () => {
  it('boots in the embedded default (integrations: {}) and registers the paved:github actions', async () => {
    const actions = await moduleActions({ integrations: {} });
    const ids = actions.map(a => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'paved:github:codeowners:create',
        'paved:github:branch:protect',
        'paved:github:team:grant',
        'paved:github:environments:create',
        'paved:github:secrets:set',
        'paved:github:variables:set',
        'paved:github:pages:enable',
        'paved:github:pull-request:open',
        'paved:github:repo:archive',
        'paved:github:repo:delete',
      ]),
    );
    const ours = actions.filter(a => a.id.startsWith('paved:github:'));
    expect(ours).toHaveLength(10);
    // None clashes with upstream's ids (publish:github*, github:*).
    expect(ids.filter(id => /^(publish:github|github:)/.test(id))).toEqual([]);
    expect(
      ours.every(a => a.supportsDryRun && (a.examples?.length ?? 0) > 0),
    ).toBe(true);
  });

  it('skips every step for a local-forge repository in the embedded default', async () => {
    const actions = await moduleActions({ integrations: {} });
    for (const action of actions.filter(a =>
      a.id.startsWith('paved:github:'),
    )) {
      const run = await runAction(
        action,
        exampleInput(action.examples![0].example),
        {
          workspace: { 'deploy/x.yaml': 'x: 1\n' },
          secrets: { npmToken: 'secret-value' },
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.outputs.skipped).toBe(true);
      expect(
        run.lines.filter(l => l.includes('lives on the local forge')),
      ).toHaveLength(1);
    }
  });

  it('hands the actions the GitHubRepoService built from app-config by the default factory', async () => {
    const server = await startGitHubTestServer();
    try {
      await server.driver.createRepository('kestrel', 'shop', {
        topics: TEAM_A_MARKER,
        files: { a: '1' },
      });
      const actions = await moduleActions(
        server.appConfig({
          host: 'github.com',
          paved: { github: { writeInterval: { milliseconds: 0 } } },
        }),
      );
      const protect = actions.find(
        a => a.id === 'paved:github:branch:protect',
      )!;
      const run = await runAction(protect, {
        repoUrl: 'github.com?owner=kestrel&repo=shop',
        requiredStatusChecks: ['build'],
      });
      expect(run.error).toBeUndefined();
      expect(run.outputs).toMatchObject({ skipped: false, method: 'ruleset' });
      expect(
        server.driver.repository('kestrel', 'shop')!.rulesets,
      ).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
