import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { localForgeRepositoryPublisherServiceFactory } from '@paved/plugin-forge-node';
import { gitHubRepositoryPublisherServiceFactory } from '@paved/plugin-github-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  TEST_USERS,
  runAction,
  startGitHubTestServer,
  testOrganisation,
} from '@paved/testkit';
import { scaffolderModulePavedPublish } from './module';

/** paved:publish as a backend with both publishers registers it. */
async function publishAction(data: Record<string, any>) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...added: any[]) => actions.push(...added) },
      ],
    ],
    features: [
      scaffolderModulePavedPublish,
      gitHubRepositoryPublisherServiceFactory,
      localForgeRepositoryPublisherServiceFactory,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: testOrganisation() }),
    ],
  });
  expect(actions.map(a => a.id)).toEqual(['paved:publish']);
  return actions[0];
}

describe('paved:publish in the scaffolder module', () => {
  const dir = createMockDirectory();

  it('publishes to the local forge the backend configures, in the embedded default', async () => {
    dir.clear();
    const publish = await publishAction({
      backend: { baseUrl: 'http://localhost:7007' },
      integrations: {},
      paved: { forge: { directory: dir.path } },
    });
    expect(publish.supportsDryRun).toBe(true);
    const run = await runAction(
      publish,
      { repoUrl: 'github.com?owner=kestrel&repo=shop', owner: 'storefront' },
      {
        workspace: { 'catalog-info.yaml': 'kind: Component\n' },
        user: TEST_USERS.teamA,
      },
    );
    expect(run.error).toBeUndefined();
    expect(run.outputs).toMatchObject({ forge: 'local', created: true });
    // A bare repository under paved.forge.directory.
    expect(
      dir.content({ path: 'kestrel/shop.git', shouldReadAsText: true }),
    ).toMatchObject({
      HEAD: 'ref: refs/heads/main\n',
      refs: { heads: { main: `${run.outputs.commitHash}\n` } },
    });
  });

  it('publishes to GitHub when the host has credentials, and leaves the forge alone', async () => {
    dir.clear();
    const server = await startGitHubTestServer();
    try {
      const publish = await publishAction({
        ...server.appConfig({
          host: 'github.com',
          paved: { github: { writeInterval: { milliseconds: 0 } } },
        }),
        backend: { baseUrl: 'http://localhost:7007' },
        paved: {
          forge: { directory: dir.path },
          github: { writeInterval: { milliseconds: 0 } },
        },
      });
      const run = await runAction(
        publish,
        { repoUrl: 'github.com?owner=kestrel&repo=shop', owner: 'storefront' },
        {
          workspace: { 'catalog-info.yaml': 'kind: Component\n' },
          user: TEST_USERS.teamA,
        },
      );
      expect(run.error).toBeUndefined();
      expect(run.outputs).toMatchObject({ forge: 'github', created: true });
      expect(await server.driver.head('kestrel', 'shop', 'main')).toBe(
        run.outputs.commitHash,
      );
      expect(dir.content()).toEqual({});
    } finally {
      await server.close();
    }
  });

  it('says which host no publisher serves when none is registered as the fallback', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added: any[]) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModulePavedPublish,
        gitHubRepositoryPublisherServiceFactory,
        mockServices.rootConfig.factory({ data: { integrations: {} } }),
        catalogServiceMock.factory({ entities: testOrganisation() }),
      ],
    });
    const run = await runAction(actions[0], {
      repoUrl: 'git.example.com?owner=kestrel&repo=shop',
      allowedHosts: ['git.example.com'],
    });
    expect(run.error).toMatchObject({
      name: 'InputError',
      message:
        'repoUrl: no publisher serves the host "git.example.com"; configure credentials for it under integrations.github',
    });
    expect(run.keys).toEqual([]);
  });
});
