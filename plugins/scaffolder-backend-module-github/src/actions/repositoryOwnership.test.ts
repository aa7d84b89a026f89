import { mockServices } from '@backstage/backend-test-utils';
import { TEST_USERS, recordingAuditor } from '@paved/testkit';
import { createGitHubBranchProtectAction } from './githubBranchProtect';
import { createGitHubRepoArchiveAction } from './githubRepoArchive';
import { createGitHubRepoDeleteAction } from './githubRepoDelete';
import {
  OWNED_BY_TEAM_A,
  runAction,
  useHarness,
} from '../__testUtils__/harness';

const repoUrl = 'github.com?owner=kestrel&repo=shop';
const target = 'repository github.com/kestrel/shop';

describe('paved:github:* on a repository another team owns', () => {
  const h = useHarness({
    scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
  });
  let audit: ReturnType<typeof recordingAuditor>;
  const deps = () => ({ ...h, auditor: audit.auditor });
  /** What GitHub was asked to change since the last reset. */
  const writes = () =>
    h.server.requests.filter(r => !/^(GET|GIT) /.test(r.route));

  beforeEach(async () => {
    audit = recordingAuditor();
    // Team A's repository, as paved:publish leaves it (with work of others since).
    await h.service.createRepository({
      owner: 'kestrel',
      name: 'shop',
      ...OWNED_BY_TEAM_A,
    });
    await h.server.driver.commit('kestrel', 'shop', 'main', {
      'README.md': '# shop\n',
    });
    h.server.resetRequests();
  });

  it('refuses team B deleting it with force ("Archive or delete a repository"), or archiving it: the repository stays', async () => {
    const deleted = await runAction(
      createGitHubRepoDeleteAction(deps()),
      { repoUrl, force: true },
      { user: TEST_USERS.teamB, taskId: 'task-b' },
    );
    expect(deleted.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^user:default\/jonas-weber may not delete repository github.com\/kestrel\/shop: it is owned by group:default\/storefront/,
      ),
    });
    const archived = await runAction(
      createGitHubRepoArchiveAction(deps()),
      { repoUrl },
      { user: TEST_USERS.teamB },
    );
    expect(archived.error).toMatchObject({ name: 'NotAllowedError' });
    expect(h.server.driver.repository('kestrel', 'shop')).toMatchObject({
      archived: false,
    });
    expect(writes()).toEqual([]);
    expect(deleted.store.size).toBe(0);
    expect(audit.events).toEqual([
      {
        eventId: 'repository-delete',
        severityLevel: 'high',
        meta: { actor: TEST_USERS.teamB, target, taskId: 'task-b' },
        outcome: 'failed',
        error: expect.stringContaining('may not delete'),
      },
      expect.objectContaining({
        eventId: 'repository-archive',
        outcome: 'failed',
      }),
    ]);
  });

  it('refuses team B a hardening step, writing nothing', async () => {
    const run = await runAction(
      createGitHubBranchProtectAction(deps()),
      { repoUrl, requiredStatusChecks: ['build'] },
      { user: TEST_USERS.teamB },
    );
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/storefront'),
    });
    expect(writes()).toEqual([]);
    expect(h.server.driver.repository('kestrel', 'shop')!.rulesets).toEqual([]);
  });

  it('lets a member of the owning team protect it, and an admin delete it, each audited', async () => {
    const protect = await runAction(
      createGitHubBranchProtectAction(deps()),
      { repoUrl, requiredStatusChecks: ['build'] },
      { user: TEST_USERS.teamAMate, taskId: 'task-a' },
    );
    expect(protect.error).toBeUndefined();
    const deleted = await runAction(
      createGitHubRepoDeleteAction(deps()),
      { repoUrl, force: true },
      { user: TEST_USERS.admin, taskId: 'task-admin' },
    );
    expect(deleted.outputs).toEqual({ skipped: false, action: 'deleted' });
    expect(h.server.driver.repository('kestrel', 'shop')).toBeUndefined();
    expect(audit.events).toEqual([
      {
        eventId: 'repository-protect',
        severityLevel: 'medium',
        meta: { actor: TEST_USERS.teamAMate, target, taskId: 'task-a' },
        outcome: 'succeeded',
      },
      {
        eventId: 'repository-delete',
        severityLevel: 'high',
        meta: { actor: TEST_USERS.admin, target, taskId: 'task-admin' },
        outcome: 'succeeded',
      },
    ]);
  });

  it('never deletes a repository Paved did not create, whoever asks and whatever the form says', async () => {
    await h.server.driver.createRepository('kestrel', 'legacy');
    const run = await runAction(
      createGitHubRepoDeleteAction(deps()),
      { repoUrl: 'github.com?owner=kestrel&repo=legacy', force: true },
      { user: TEST_USERS.admin },
    );
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'repository github.com/kestrel/legacy was not created by Paved (it carries no paved-managed marker naming its owner), so Paved will not delete it',
    });
    expect(h.server.driver.repository('kestrel', 'legacy')).toBeDefined();
  });

  it('writes nothing and audits nothing in a dry run, whoever asks', async () => {
    const run = await runAction(
      createGitHubRepoDeleteAction(deps()),
      { repoUrl, force: true },
      { user: TEST_USERS.teamB, isDryRun: true },
    );
    expect(run.outputs).toEqual({ skipped: false, action: 'none' });
    expect(h.server.requests).toEqual([]);
    expect(audit.events).toEqual([]);
  });

  it('in production, a host without credentials is an error naming it, not a skip', async () => {
    const production = {
      ...deps(),
      config: mockServices.rootConfig({
        data: {
          auth: { environment: 'production' },
          integrations: { github: [{ host: 'github.com', token: '' }] },
        },
      }),
    };
    const run = await runAction(createGitHubRepoArchiveAction(production), {
      repoUrl,
    });
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'the host "github.com" has no credentials: configure a token or a GitHub App for it under integrations.github',
      ),
    });
    expect(run.outputs).toEqual({});
  });
});
