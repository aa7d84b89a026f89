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
  declaredOutputs,
  exampleInput,
  runAction,
  testOwnership,
  recordingAuditor,
} from '@paved/testkit';
import { RepositoryPublisher } from '@paved/plugin-publish-node';
import { createPavedPublishAction, publisherFor } from './publish';
import { examples } from './publish.examples';
import { useGitHub } from '../__testUtils__/useGitHub';

/** A run as a member of team A, with team A as the form's owner unless the input names one. */
const runAs: typeof runAction = (action, input, options) =>
  runAction(
    action,
    { owner: TEST_GROUPS.teamA, ...input },
    { user: TEST_USERS.teamA, ...options },
  );

/** What a template's fetch step renders: files at the workspace root, or in sourcePath. */
function workspaceFor(input: { sourcePath?: string }) {
  const prefix = input.sourcePath ? `${input.sourcePath}/` : '';
  return {
    [`${prefix}catalog-info.yaml`]:
      'apiVersion: backstage.io/v1alpha1\nkind: Component\n',
    [`${prefix}README.md`]: '# Hello\n',
    [`${prefix}src/index.ts`]: 'export {};\n',
    ...(prefix ? { 'not-published/notes.md': 'left behind' } : {}),
  };
}

const published = (input: { sourcePath?: string }) =>
  Object.keys(workspaceFor(input))
    .filter(f => !f.startsWith('not-published/'))
    .map(f => (input.sourcePath ? f.slice(input.sourcePath.length + 1) : f))
    .sort();

describe('paved:publish', () => {
  const dir = createMockDirectory();
  let forge: DefaultLocalForge;
  // A real GitHub test server in every test: on the forge it must not be asked anything.
  const h = useGitHub();
  /** The action as the module builds it: both publishers, from one config. */
  const publishAction = (config: Config) =>
    createPavedPublishAction({
      config,
      publishers: [
        GitHubRepositoryPublisher.create({ service: h.service, config }),
        LocalForgeRepositoryPublisher.create({ forge }),
      ],
      ownership: testOwnership(),
      auditor: recordingAuditor().auditor,
    });

  beforeEach(async () => {
    dir.clear();
    forge = DefaultLocalForge.create({
      directory: dir.resolve('forge'),
      urls: ForgeUrls.forBackend('http://localhost:7007'),
      logger: mockServices.logger.mock(),
    });
  });

  describe('on the local forge (no GitHub credentials for the host)', () => {
    const embedded = mockServices.rootConfig({
      data: {
        integrations: {},
        scaffolder: {
          defaultAuthor: { name: 'Paved', email: 'paved@kestrel.example' },
        },
      },
    });
    const action = () => publishAction(embedded);

    it.each(examples.map(e => [e.description, e.example]))(
      'runs the example, then again as a retried task: %s',
      async (_, example) => {
        const input = exampleInput(example);
        const { owner, repo: name } = Object.fromEntries(
          new URL(`https://${input.repoUrl}`).searchParams,
        );
        const base = `http://localhost:7007/api/forge/${owner}/${name}`;
        const workspace = workspaceFor(input);

        const first = await runAs(action(), input, { workspace });
        expect(first.error).toBeUndefined();
        expect(first.outputs).toEqual({
          remoteUrl: `${base}.git`,
          repoContentsUrl: `${base}/blob/main`,
          catalogInfoUrl: `${base}/blob/main/catalog-info.yaml`,
          forge: 'local',
          created: true,
          pushed: true,
          commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        });
        expect(Object.keys(first.outputs).sort()).toEqual(
          declaredOutputs(action()),
        );
        expect(first.keys).toEqual([
          `paved.publish.repository.local.github.com/${owner}/${name}`,
          `paved.publish.push.local.github.com/${owner}/${name}.main`,
        ]);

        // What was published, as the forge serves it.
        const repo = { owner, name };
        const { commitSha } = await forge.resolvePath(repo, 'main');
        expect(commitSha).toBe(first.outputs.commitHash);
        const { files } = await forge.listFiles(repo, commitSha, '');
        expect(files.map(f => f.path).sort()).toEqual(published(input));
        await expect(forge.getRepository(repo)).resolves.toMatchObject({
          ownerGroup: TEST_GROUPS.teamA,
          description: input.description,
          topics: input.topics ?? [],
          visibility: input.repoVisibility ?? 'private',
          defaultBranch: 'main',
        });
        expect((await forge.listRefs(repo)).refs).toHaveLength(1);

        // A retry whose checkpoints were lost (a crash before they were
        // saved) does the work again and converges: adopted, nothing pushed.
        const again = await runAs(action(), input, { workspace });
        expect(again.error).toBeUndefined();
        expect(again.outputs).toEqual({
          ...first.outputs,
          created: false,
          pushed: false,
        });

        // The scaffolder's own retry resumes from the saved checkpoints.
        const resumed = await runAs(action(), input, {
          workspace,
          store: first.store,
        });
        expect(resumed.outputs).toEqual(first.outputs);
        expect(resumed.lines).toContain(
          `info: ${owner}/${name} was published by an earlier run of this task (${commitSha} on main): ${base}`,
        );
        expect(again.lines).toContain(
          `info: main already holds this content (${commitSha}); nothing to push`,
        );
        expect((await forge.resolvePath(repo, 'main')).commitSha).toBe(
          commitSha,
        );
        expect(h.server.requests).toEqual([]);
      },
    );

    it('publishes to the forge when the GitHub token is empty, outside production', async () => {
      const noToken = mockServices.rootConfig({
        data: { integrations: { github: [{ host: 'github.com', token: '' }] } },
      });
      const run = await runAs(
        publishAction(noToken),
        { repoUrl: 'github.com?owner=Kestrel&repo=Shop' },
        { workspace: { 'README.md': 'x' } },
      );
      expect(run.error).toBeUndefined();
      // Owner and name are lowercased on the forge, as GitHub compares them.
      expect(run.outputs).toMatchObject({
        forge: 'local',
        remoteUrl: 'http://localhost:7007/api/forge/kestrel/shop.git',
      });
      expect(run.lines).toContain(
        'info: Publishing kestrel/shop to the local forge (http://localhost:7007/api/forge)',
      );
      const { commitSha } = await forge.resolvePath(
        { owner: 'kestrel', name: 'shop' },
        '',
      );
      expect(
        (
          await forge.readFile(
            { owner: 'kestrel', name: 'shop' },
            commitSha,
            'README.md',
          )
        ).content.toString(),
      ).toBe('x');
    });

    it('only says where it would publish in a dry run', async () => {
      const run = await runAs(action(), exampleInput(examples[0].example), {
        workspace: workspaceFor({}),
        isDryRun: true,
      });
      expect(run.error).toBeUndefined();
      expect(run.lines).toContain(
        'info: Dry run: would create kestrel/invoice-service on the local forge (http://localhost:7007/api/forge) and push the workspace to main: http://localhost:7007/api/forge/kestrel/invoice-service',
      );
      expect(run.outputs).toEqual({
        remoteUrl:
          'http://localhost:7007/api/forge/kestrel/invoice-service.git',
        repoContentsUrl:
          'http://localhost:7007/api/forge/kestrel/invoice-service/blob/main',
        catalogInfoUrl:
          'http://localhost:7007/api/forge/kestrel/invoice-service/blob/main/catalog-info.yaml',
        forge: 'local',
        created: true,
        pushed: true,
        commitHash: '',
      });
      expect(run.keys).toEqual([]);
      await expect(forge.listRepositories()).resolves.toEqual([]);
    });

    it('refuses other content in an existing repository, naming it', async () => {
      const input = exampleInput(examples[0].example);
      await runAs(action(), input, { workspace: { 'README.md': 'one' } });
      const run = await runAs(action(), input, {
        workspace: { 'README.md': 'two' },
      });
      expect(run.error).toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Repository kestrel\/invoice-service on the local forge already holds other content on branch main/,
        ),
      });
      expect(run.outputs).toEqual({});
    });

    it.each([
      [
        { repoUrl: 'github.com?repo=x' },
        /^repoUrl: "github.com\?repo=x" names no owner/,
      ],
      [
        { repoUrl: 'github.com?owner=kestrel&repo=bad%20name' },
        /^repoUrl: Invalid repository name "bad name"/,
      ],
      [
        { repoUrl: 'github.com?owner=..&repo=x' },
        /^repoUrl: Invalid repository owner "\.\."/,
      ],
      [
        { repoUrl: 'github.com?owner=k&repo=x', defaultBranch: 'a..b' },
        /^Invalid branch name "a\.\.b"/,
      ],
      [
        { repoUrl: 'github.com?owner=k&repo=x', topics: ['Not A Topic'] },
        /^Invalid topic "Not A Topic"/,
      ],
      [
        { repoUrl: 'github.com?owner=k&repo=x', sourcePath: '../outside' },
        /outside/,
      ],
    ])(
      'refuses %j with a clear error and creates nothing',
      async (input, message) => {
        const run = await runAs(action(), input, {
          workspace: { 'README.md': 'x' },
        });
        expect(run.error?.message).toMatch(message);
        await expect(forge.listRepositories()).resolves.toEqual([]);
      },
    );
  });

  describe('on GitHub (a token for the host)', () => {
    const action = () => publishAction(h.config);

    it.each(examples.map(e => [e.description, e.example]))(
      'runs the example against the GitHub test server, twice: %s',
      async (_, example) => {
        const input = exampleInput(example);
        const { owner, repo: name } = Object.fromEntries(
          new URL(`https://${input.repoUrl}`).searchParams,
        );
        const html = `${h.server.url}/${owner}/${name}`;
        const workspace = workspaceFor(input);

        const first = await runAs(action(), input, { workspace });
        expect(first.error).toBeUndefined();
        expect(first.outputs).toEqual({
          remoteUrl: `${html}.git`,
          repoContentsUrl: `${html}/blob/main`,
          catalogInfoUrl: `${html}/blob/main/catalog-info.yaml`,
          forge: 'github',
          created: true,
          pushed: true,
          commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        });
        expect(Object.keys(first.outputs).sort()).toEqual(
          declaredOutputs(action()),
        );
        expect(first.keys).toEqual([
          `paved.publish.repository.github.github.com/${owner}/${name}`,
          `paved.publish.push.github.github.com/${owner}/${name}.main`,
        ]);
        expect(h.server.driver.repository(owner, name)).toMatchObject({
          description: input.description ?? null,
          topics: [
            ...(input.topics ?? []),
            'paved-managed',
            'paved-owner-storefront',
          ],
          visibility: input.repoVisibility ?? 'private',
        });
        const files = await h.server.driver.files(owner, name);
        expect(Object.keys(files).sort()).toEqual(published(input));
        expect(await h.server.driver.head(owner, name, 'main')).toBe(
          first.outputs.commitHash,
        );
        await expect(forge.listRepositories()).resolves.toEqual([]);

        const again = await runAs(action(), input, { workspace });
        expect(again.error).toBeUndefined();
        expect(again.outputs).toEqual({
          ...first.outputs,
          created: false,
          pushed: false,
        });
        expect(await h.server.driver.commitCount(owner, name, 'main')).toBe(1);
      },
    );

    it('says it would publish to GitHub in a dry run, without asking GitHub', async () => {
      const run = await runAs(action(), exampleInput(examples[0].example), {
        workspace: workspaceFor({}),
        isDryRun: true,
      });
      expect(run.lines).toContain(
        'info: Dry run: would create kestrel/invoice-service on GitHub (github.com) and push the workspace to main: https://github.com/kestrel/invoice-service',
      );
      expect(run.outputs.forge).toBe('github');
      expect(h.server.requests).toEqual([]);
    });
  });
});

describe('publisherFor', () => {
  /** A publisher that only answers match(); nothing else is called. */
  const publisher = (id: string, match: 'serves' | 'fallback' | undefined) =>
    ({ id, match: () => match } as unknown as RepositoryPublisher);

  it('prefers the publisher that serves the host over the fallback, whatever their order', () => {
    const github = publisher('github', 'serves');
    const local = publisher('local', 'fallback');
    expect(publisherFor([local, github], 'github.com')).toBe(github);
    expect(publisherFor([github, local], 'github.com')).toBe(github);
  });

  it('takes the fallback when no publisher serves the host', () => {
    const local = publisher('local', 'fallback');
    expect(
      publisherFor([publisher('github', undefined), local], 'x.example'),
    ).toBe(local);
  });

  it('refuses a host without credentials when the fallback is off (production), naming the host and integrations.github', () => {
    const local = publisher('local', 'fallback');
    expect(() =>
      publisherFor([publisher('github', undefined), local], 'github.com', {
        fallback: false,
      }),
    ).toThrow(
      'repoUrl: the host "github.com" has no credentials: configure a token or a GitHub App for it under integrations.github (host: github.com); this setting does not publish to the local forge instead (paved.publish.localForgeFallback)',
    );
  });

  it('names the host when nothing takes it', () => {
    expect(() =>
      publisherFor([publisher('github', undefined)], 'x.example'),
    ).toThrow(
      'repoUrl: no publisher serves the host "x.example"; configure credentials for it under integrations.github',
    );
  });
});
