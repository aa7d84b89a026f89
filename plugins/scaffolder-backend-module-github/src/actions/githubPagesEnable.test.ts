import { TEST_USERS, recordingAuditor } from '@paved/testkit';
import { createGitHubPagesEnableAction } from './githubPagesEnable';
import { examples } from './githubPagesEnable.examples';
import {
  OWNED_BY_TEAM_A,
  declaredOutputs,
  exampleInput,
  onLocalForge,
  runAction,
  useHarness,
} from '../__testUtils__/harness';

const repoUrl = 'github.com?owner=kestrel&repo=shop';

describe('paved:github:pages:enable', () => {
  const h = useHarness();
  let audit: ReturnType<typeof recordingAuditor>;
  const deps = () => ({ ...h, auditor: audit.auditor });
  const writes = () =>
    h.server.requests.filter(r => !/^(GET|GIT) /.test(r.route));

  beforeEach(async () => {
    audit = recordingAuditor();
    // Team A's repository, as paved:publish leaves it.
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
    await h.server.driver.commit('kestrel', 'shop', 'main', {
      'public/index.html': '<h1>shop</h1>\n',
    });
    h.server.resetRequests();
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example against the test server, and a rerun converges: %s',
    async (_, example) => {
      const action = createGitHubPagesEnableAction(deps());
      const input = exampleInput(example);
      const run = await runAction(action, input);
      expect(run.error).toBeUndefined();
      const url = `${h.server.url}/pages/kestrel/shop/`;
      expect(run.outputs).toEqual({
        skipped: false,
        action: 'enabled',
        url,
        reason: '',
      });
      expect(Object.keys(run.outputs).sort()).toEqual(declaredOutputs(action));
      expect(run.keys).toEqual(['paved.github.pages.github.com/kestrel/shop']);
      expect(h.server.driver.repository('kestrel', 'shop')!.pages).toEqual({
        buildType: 'workflow',
        source: { branch: 'main', path: '/' },
      });
      expect(audit.events).toEqual([
        expect.objectContaining({
          eventId: 'repository-pages',
          outcome: 'succeeded',
        }),
      ]);

      // A retried task resumes from its checkpoint: nothing is asked again.
      h.server.resetRequests();
      const retried = await runAction(action, input, { store: run.store });
      expect(retried.outputs).toMatchObject({ action: 'enabled', url });
      expect(h.server.requests).toEqual([]);
      // A new task on the same repository finds the site GitHub answers 409 for.
      const again = await runAction(action, input);
      expect(again.outputs).toMatchObject({ action: 'unchanged', url });
      expect(writes().map(r => `${r.route} ${r.status}`)).toEqual([
        'POST /repos/{owner}/{repo}/pages 409',
      ]);
    },
  );

  it('refuses a caller outside the owning team, changing nothing', async () => {
    const run = await runAction(
      createGitHubPagesEnableAction(deps()),
      { repoUrl },
      { user: TEST_USERS.teamB, taskId: 'task-b' },
    );
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/storefront'),
    });
    expect(writes()).toEqual([]);
    expect(h.server.driver.repository('kestrel', 'shop')!.pages).toBeNull();
    expect(audit.events).toEqual([
      expect.objectContaining({
        eventId: 'repository-pages',
        outcome: 'failed',
        meta: expect.objectContaining({ actor: TEST_USERS.teamB }),
      }),
    ]);
  });

  it('changes nothing in a dry run', async () => {
    const run = await runAction(
      createGitHubPagesEnableAction(deps()),
      { repoUrl },
      { isDryRun: true },
    );
    expect(run.outputs).toEqual({
      skipped: false,
      action: 'dry-run',
      url: '',
      reason: '',
    });
    expect(run.lines).toContain(
      'info: Dry run: would enable GitHub Pages of kestrel/shop, published by its Actions workflow',
    );
    expect(h.server.requests).toEqual([]);
  });

  it('says on the local forge why the site is not published, and what to do, without failing', async () => {
    const run = await runAction(
      createGitHubPagesEnableAction({
        ...onLocalForge(h),
        auditor: audit.auditor,
      }),
      { repoUrl },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs).toEqual({
      skipped: true,
      action: 'skipped',
      url: '',
      reason: expect.stringMatching(
        /^The local forge has no GitHub Pages, so kestrel\/shop is not published: .* To publish it, create the site on a GitHub host configured with credentials/,
      ),
    });
    expect(run.lines).toEqual([
      'info: kestrel/shop lives on the local forge: GitHub Pages skipped',
      `info: ${run.outputs.reason}`,
    ]);
    expect(h.server.requests).toEqual([]);
  });

  it('refuses a repository name GitHub would not accept, naming repoUrl, before calling GitHub', async () => {
    const run = await runAction(createGitHubPagesEnableAction(deps()), {
      repoUrl: 'github.com?owner=kestrel&repo=bad%20name',
    });
    expect(run.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('repoUrl'),
    });
    expect(h.server.requests).toEqual([]);
  });
});
