import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Config } from '@backstage/config';
import {
  DefaultLocalForge,
  ForgeUrls,
  LocalForgeRepositoryPublisher,
} from '@paved/plugin-forge-node';
import { GitHubRepositoryPublisher } from '@paved/plugin-github-node';
import {
  TEST_GROUPS,
  TEST_USERS,
  runAction,
  testOwnership,
  recordingAuditor,
} from '@paved/testkit';
import { createPavedPublishAction } from './publish';
import { useGitHub } from '../__testUtils__/useGitHub';

const repoUrl = 'github.com?owner=kestrel&repo=shop';
const repo = { owner: 'kestrel', name: 'shop' };

describe('paved:publish: owners, hosts and the audit trail', () => {
  const dir = createMockDirectory();
  let forge: DefaultLocalForge;
  const h = useGitHub();
  let audit: ReturnType<typeof recordingAuditor>;
  const embedded = mockServices.rootConfig({ data: { integrations: {} } });
  const action = (config: Config = embedded) =>
    createPavedPublishAction({
      config,
      publishers: [
        GitHubRepositoryPublisher.create({ service: h.service, config }),
        LocalForgeRepositoryPublisher.create({ forge }),
      ],
      ownership: testOwnership(),
      auditor: audit.auditor,
    });

  beforeEach(() => {
    dir.clear();
    audit = recordingAuditor();
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
  });

  it("records the form's owner on the forge, and refuses team B publishing over team A's repository", async () => {
    const a = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'A' }, taskId: 't1' },
    );
    expect(a.error).toBeUndefined();
    await expect(forge.getRepository(repo)).resolves.toMatchObject({
      ownerGroup: 'group:default/storefront',
    });
    const { commitSha } = await forge.resolvePath(repo, 'main');

    // B names B as the owner: the recorded owner counts, not the form.
    const b = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamB },
      { user: TEST_USERS.teamB, workspace: { 'README.md': 'B' }, taskId: 't2' },
    );
    expect(b.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/storefront'),
    });
    expect((await forge.resolvePath(repo, 'main')).commitSha).toBe(commitSha);
    await expect(forge.getRepository(repo)).resolves.toMatchObject({
      ownerGroup: 'group:default/storefront',
    });

    const target = 'repository github.com/kestrel/shop';
    expect(audit.events).toEqual([
      {
        eventId: 'repository-create',
        severityLevel: 'medium',
        meta: {
          actor: TEST_USERS.teamA,
          target,
          taskId: 't1',
          forge: 'local',
        },
        outcome: 'succeeded',
      },
      expect.objectContaining({
        eventId: 'repository-push',
        meta: expect.objectContaining({ actor: TEST_USERS.teamA, target }),
        outcome: 'succeeded',
      }),
      expect.objectContaining({
        eventId: 'repository-create',
        meta: expect.objectContaining({ actor: TEST_USERS.teamB, target }),
        outcome: 'failed',
        error: expect.stringContaining('may not publish to'),
      }),
    ]);
  });

  it('checks the push of a task resumed from a checkpoint saved before owners were recorded', async () => {
    const first = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'A' } },
    );
    const [createKey, pushKey] = first.keys;
    const { ownerGroup: _, ...old } = first.store.get(createKey) as any;
    const store = new Map<string, unknown>([[createKey, old]]);
    const resumed = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamB },
      { user: TEST_USERS.teamB, workspace: { 'README.md': 'B' }, store },
    );
    expect(resumed.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/storefront'),
    });
    expect(store.has(pushKey)).toBe(false);
  });

  it.each([
    ['a user', TEST_USERS.teamA, 'InputError', /^owner must be a group/],
    [
      'a group the initiator is not in',
      TEST_GROUPS.teamB,
      'NotAllowedError',
      /group:default\/fulfilment/,
    ],
    ['no one', undefined, 'InputError', /^owner: required to create/],
  ])(
    'refuses %s as the owner of a new repository before anything is created',
    async (_, owner, name, message) => {
      const run = await runAction(
        action(),
        { repoUrl, ...(owner && { owner }) },
        { user: TEST_USERS.teamA, workspace: { 'README.md': 'x' } },
      );
      expect(run.error).toMatchObject({
        name,
        message: expect.stringMatching(message),
      });
      await expect(forge.listRepositories()).resolves.toEqual([]);
    },
  );

  it('lets an admin create a repository for any group', async () => {
    const run = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamB },
      { user: TEST_USERS.admin, workspace: { 'README.md': 'x' } },
    );
    expect(run.error).toBeUndefined();
    await expect(forge.getRepository(repo)).resolves.toMatchObject({
      ownerGroup: TEST_GROUPS.teamB,
    });
  });

  it('refuses to publish into a repository Paved did not create, and adopts an empty one a crashed run left', async () => {
    const sourceDir = dir.resolve('elsewhere');
    dir.addContent({ 'elsewhere/README.md': 'not Paved' });
    await forge.createRepository(repo);
    await forge.pushInitialContent({ ...repo, sourceDir, branch: 'main' });
    const run = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'x' } },
    );
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'repository github.com/kestrel/shop exists and Paved did not create it (it carries no Paved marker naming its owner): paved:publish will not publish into it',
    });

    await forge.createRepository({ owner: 'kestrel', name: 'crashed' });
    const adopted = await runAction(
      action(),
      { repoUrl: 'github.com?owner=kestrel&repo=crashed', owner: 'storefront' },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'x' } },
    );
    expect(adopted.error).toBeUndefined();
    expect(adopted.outputs.created).toBe(false);
    await expect(
      forge.getRepository({ owner: 'kestrel', name: 'crashed' }),
    ).resolves.toMatchObject({ ownerGroup: TEST_GROUPS.teamA });
  });

  it.each([
    [{ repoUrl: 'evil.example.com?owner=kestrel&repo=x' }, 'github.com'],
    [
      {
        repoUrl: 'evil.example.com?owner=kestrel&repo=x',
        allowedHosts: ['github.com', 'git.kestrel.example'],
      },
      'github.com, git.kestrel.example',
    ],
  ])(
    'refuses a host outside the allowed hosts (%j), before anything is created',
    async (input, allowed) => {
      const run = await runAction(
        action(),
        { ...input, owner: TEST_GROUPS.teamA },
        { user: TEST_USERS.teamA, workspace: { 'README.md': 'x' } },
      );
      expect(run.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          `repoUrl: the host "evil.example.com" is not one of the allowed hosts (${allowed})`,
        ),
      });
      expect(run.keys).toEqual([]);
      await expect(forge.listRepositories()).resolves.toEqual([]);
      // The refusal is in the audit trail.
      expect(audit.events).toEqual([
        {
          eventId: 'repository-create',
          severityLevel: 'medium',
          meta: {
            actor: TEST_USERS.teamA,
            target: 'repository evil.example.com/kestrel/x',
            taskId: 'mock-task-id',
          },
          outcome: 'failed',
          error: expect.stringContaining('is not one of the allowed hosts'),
        },
      ]);
    },
  );

  it('in production, refuses a host without credentials instead of publishing to the forge, naming the host and integrations.github', async () => {
    const production = mockServices.rootConfig({
      data: {
        auth: { environment: 'production' },
        integrations: { github: [{ host: 'github.com', token: '' }] },
      },
    });
    const run = await runAction(
      action(production),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'x' } },
    );
    expect(run.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^repoUrl: the host "github.com" has no credentials: configure a token or a GitHub App for it under integrations.github/,
      ),
    });
    await expect(forge.listRepositories()).resolves.toEqual([]);
    // Also in a dry run.
    const dry = await runAction(
      action(production),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, isDryRun: true },
    );
    expect(dry.error?.name).toBe('NotAllowedError');
  });

  it("on GitHub: refuses team B publishing over team A's repository with no write", async () => {
    const github = () => action(h.config);
    const a = await runAction(
      github(),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, workspace: { 'README.md': 'A' } },
    );
    expect(a.error).toBeUndefined();
    expect(h.server.driver.repository('kestrel', 'shop')!.topics).toEqual([
      'paved-managed',
      'paved-owner-storefront',
    ]);
    h.server.resetRequests();
    const b = await runAction(
      github(),
      { repoUrl, owner: TEST_GROUPS.teamB },
      { user: TEST_USERS.teamB, workspace: { 'README.md': 'B' } },
    );
    expect(b.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/storefront'),
    });
    expect(h.server.requests.map(r => r.route)).toEqual([
      'GET /repos/{owner}/{repo}',
    ]);
    expect(await h.server.driver.commitCount('kestrel', 'shop', 'main')).toBe(
      1,
    );
  });

  it('writes nothing in a dry run, on the forge or on GitHub', async () => {
    const forgeDry = await runAction(
      action(),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, isDryRun: true },
    );
    expect(forgeDry.error).toBeUndefined();
    await expect(forge.listRepositories()).resolves.toEqual([]);
    const githubDry = await runAction(
      action(h.config),
      { repoUrl, owner: TEST_GROUPS.teamA },
      { user: TEST_USERS.teamA, isDryRun: true },
    );
    expect(githubDry.error).toBeUndefined();
    expect(h.server.requests).toEqual([]);
    expect(audit.events).toEqual([]);
  });
});
