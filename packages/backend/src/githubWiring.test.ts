/*
 * The GitHub driver as the backend wires it: the embedded default (no GitHub
 * integration) boots with the paved:github:* actions beside upstream's
 * GitHub module, and both golden-path templates run their hardening steps
 * in a dry run, each skipping with one log line as the repository lives on
 * the local forge. The production config creates repositories in GITHUB_ORG
 * only. Create Component runs for real through the scaffolder into the
 * catalogue, on the local forge and on the GitHub test server. Under
 * Paved's permission policy, team B's "Archive or delete a repository" on
 * team A's repository is refused and the repository stays.
 */
import { httpAuthWithActors } from '@paved/testkit';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderBackend from '@backstage/plugin-scaffolder-backend';
// app-config.yaml keeps task workspaces in the database (taskRecovery)
import scaffolderWorkspaceDatabase from '@backstage/plugin-scaffolder-backend-module-workspace-database';
import upstreamGitHubActions from '@backstage/plugin-scaffolder-backend-module-github';
import pavedGitHubActions from '@paved/plugin-scaffolder-backend-module-github';
import pavedTemplateActions from '@paved/plugin-scaffolder-backend-module-templates';
import { DefaultGitHubRepoService } from '@paved/plugin-github-node';
import catalogModuleForge from '@paved/plugin-catalog-backend-module-forge';
import auditBackend from '@paved/plugin-audit-backend';
import { auditorServiceFactory } from '@paved/plugin-audit-node';
import {
  TEST_GROUPS,
  TEST_USERS,
  startGitHubTestServer,
  testOrganisation,
} from '@paved/testkit';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModulePavedPolicy from '@paved/plugin-permission-backend-module-paved-policy';
import { markerTopicsOf } from '@paved/plugin-github-node';
import { forgeUrlReaderFactory } from './features/forgeUrlReader';
import { publishingFeatureLoader } from './features/publishing';
import {
  ROOT,
  call,
  embeddedDefault,
  eventually,
  freePort,
  logMessage,
  templateFiles,
} from './__testUtils__/wiring';

/** The sample organisation's groups and users, whose groups own repositories. */
const sampleOrganisation = {
  type: 'file',
  target: path.join(ROOT, 'catalog/org.yaml'),
  rules: [{ allow: ['Group', 'User'] }],
};

/** What Create Component into the catalogue needs, on GitHub or the forge. */
const createComponentFeatures = [
  catalogBackend,
  catalogScaffolderEntityModel,
  catalogModuleForge,
  scaffolderBackend,
  scaffolderWorkspaceDatabase,
  pavedGitHubActions,
  // paved:form:check and paved:provenance:record, which every template runs
  pavedTemplateActions,
  publishingFeatureLoader,
  forgeUrlReaderFactory,
  // the audit trail, as the backend has it
  auditorServiceFactory,
  auditBackend,
];

describe('the GitHub driver in the backend', () => {
  jest.setTimeout(60_000);
  let baseUrl: string;
  const caller = mockCredentials.service.header();

  beforeAll(async () => {
    // Permissions off: the permission backend is not part of this test.
    const data: Record<string, any> = {
      ...(await embeddedDefault()),
      permission: { enabled: false },
    };
    if (JSON.stringify(data.integrations) !== '{}') {
      throw new Error(
        'app-config.yaml is expected to configure no integrations',
      );
    }
    const { server } = await startTestBackend({
      features: [
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        upstreamGitHubActions,
        pavedGitHubActions,
        // the templates' check reads the owner group from the catalogue
        pavedTemplateActions,
        catalogServiceMock.factory({ entities: testOrganisation() }),
        publishingFeatureLoader,
        mockServices.rootConfig.factory({ data }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}/api/scaffolder`;
  });

  it('boots the embedded default with the paved:github:* actions, none clashing with upstream ids', async () => {
    const res = await fetch(`${baseUrl}/v2/actions`, {
      headers: { Authorization: caller },
    });
    expect(res.status).toBe(200);
    const ids: string[] = (await res.json()).map((a: { id: string }) => a.id);
    expect(ids.filter(id => id.startsWith('paved:github:')).sort()).toEqual([
      'paved:github:branch:protect',
      'paved:github:codeowners:create',
      'paved:github:environments:create',
      'paved:github:pages:enable',
      'paved:github:pull-request:open',
      'paved:github:repo:archive',
      'paved:github:repo:delete',
      'paved:github:secrets:set',
      'paved:github:team:grant',
      'paved:github:variables:set',
    ]);
    expect(ids).toContain('publish:github');
    expect(new Set(ids).size).toBe(ids.length);
  });

  /** What differs between the templates' hardening: Pages, Actions variables and CI jobs. */
  const hardeningOf: Record<
    string,
    { pages: boolean; variables: string; checks: string }
  > = {
    'node-service': {
      pages: false,
      variables: 'CATALOG_ENTITY, OWNER, PAVED_URL',
      checks: 'lint, test',
    },
    'static-website': {
      pages: true,
      variables: 'CATALOG_ENTITY, OWNER',
      checks: 'build',
    },
  };

  it.each(Object.entries(hardeningOf))(
    'runs the hardening steps of the %s template in a dry run, each skipped on the local forge',
    async (name, expected) => {
      const dir = path.join(ROOT, 'templates', name);
      const template = parseYaml(
        fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
      );
      const hardening = template.spec.steps.filter((s: any) =>
        s.action.startsWith('paved:github:'),
      );
      expect(hardening.map((s: any) => s.action)).toEqual([
        'paved:github:codeowners:create',
        'paved:github:branch:protect',
        'paved:github:environments:create',
        'paved:github:variables:set',
        ...(expected.pages ? ['paved:github:pages:enable'] : []),
        'paved:github:team:grant',
      ]);
      const publishAt = template.spec.steps.findIndex(
        (s: any) => s.id === 'publish',
      );
      expect(
        template.spec.steps.findIndex((s: any) => s.id === hardening[0].id),
      ).toBeGreaterThan(publishAt);
      const res = await fetch(`${baseUrl}/v2/dry-run`, {
        method: 'POST',
        headers: { Authorization: caller, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          template,
          values: {
            name: 'invoice-service',
            description: 'Invoices',
            owner: 'group:default/fulfilment',
            repoUrl: 'github.com?owner=kestrel&repo=invoice-service',
          },
          directoryContents: templateFiles(dir),
        }),
      });
      const body = await res.json();
      expect({ status: res.status, error: body.error }).toEqual({
        status: 200,
        error: undefined,
      });
      const messages: string[] = body.log.map((l: any) =>
        logMessage(l.body.message),
      );
      const skipped = messages.filter(m =>
        m.includes('lives on the local forge'),
      );
      expect(skipped).toEqual([
        'kestrel/invoice-service lives on the local forge: .github/CODEOWNERS skipped',
        'kestrel/invoice-service lives on the local forge: branch protection skipped',
        'kestrel/invoice-service lives on the local forge: environments development, staging, production skipped',
        `kestrel/invoice-service lives on the local forge: Actions variables ${expected.variables} skipped`,
        ...(expected.pages
          ? [
              'kestrel/invoice-service lives on the local forge: GitHub Pages skipped',
            ]
          : []),
        'kestrel/invoice-service lives on the local forge: the maintain role of team fulfilment skipped',
      ]);
      // On the forge the Pages step says why the site is not published.
      expect(
        messages.some(m =>
          m.startsWith(
            'The local forge has no GitHub Pages, so kestrel/invoice-service is not published',
          ),
        ),
      ).toBe(expected.pages);
      // The required checks came from the template's CI workflow.
      expect(messages).toContain(
        `Required status checks from .github/workflows: ${expected.checks}`,
      );
      expect(body.log.filter((l: any) => l.body.status === 'failed')).toEqual(
        [],
      );
    },
  );
});

describe('the GitHub driver with the production config', () => {
  /** app-config.yaml and app-config.production.yaml as the image reads them. */
  async function production(env: Record<string, string>) {
    const config = await ConfigSources.toConfig(
      ConfigSources.default({
        argv: [
          '--config',
          path.join(ROOT, 'app-config.yaml'),
          '--config',
          path.join(ROOT, 'app-config.production.yaml'),
        ],
        substitutionFunc: async name => env[name],
      }),
    );
    config.close();
    return config.get() as Record<string, any>;
  }

  it.each([
    ['GITHUB_ORG set', { GITHUB_ORG: 'kestrel' }, ['kestrel']],
    ['GITHUB_ORG unset', {}, []],
  ])(
    'creates repositories in the organisation only (%s)',
    async (_, env: Record<string, string>, allowed: string[]) => {
      const server = await startGitHubTestServer({
        orgs: [{ login: 'kestrel' }, { login: 'elsewhere' }],
      });
      try {
        const data = await production({ ...env, GITHUB_TOKEN: server.token });
        // github.com as the production config names it, answered by the test server.
        data.integrations.github = [
          server.integrationConfig({ host: 'github.com' }),
        ];
        const service = DefaultGitHubRepoService.create({
          config: new ConfigReader(data),
          logger: mockServices.logger.mock(),
          settings: { writeIntervalMs: 0 },
        });
        const outcomes: Record<string, unknown> = {};
        for (const owner of ['kestrel', 'elsewhere']) {
          outcomes[owner] = await service
            .createRepository({ host: 'github.com', owner, name: 'shop' })
            .then(
              r => (r.created ? 'created' : 'adopted'),
              e => `${e.name}: ${e.message}`,
            );
        }
        const refused = (owner: string) =>
          `NotAllowedError: owner: ${
            allowed.length === 0
              ? `Paved may not create or change repositories in "${owner}": paved.github.allowedOwners lists no owner (in production it is GITHUB_ORG, which is not set)`
              : `"${owner}" is not a GitHub owner Paved may create or change repositories in; paved.github.allowedOwners allows "kestrel"`
          }`;
        expect(outcomes).toEqual({
          kestrel: allowed.includes('kestrel') ? 'created' : refused('kestrel'),
          elsewhere: refused('elsewhere'),
        });
        expect(server.driver.repository('elsewhere', 'shop')).toBeUndefined();
        expect(
          server.requests.filter(r => r.route === 'POST /orgs/{org}/repos'),
        ).toHaveLength(allowed.length);
      } finally {
        await server.close();
      }
    },
  );
});

describe('Create Component on the local forge, into the catalogue', () => {
  jest.setTimeout(120_000);
  const forge = createMockDirectory();
  const user = mockCredentials.user.header();
  let baseUrl: string;
  let forgeBase: string;

  beforeAll(async () => {
    const data = await embeddedDefault();
    // Forge URLs name this backend's base URL; the forge's UrlReader reads
    // them from disk, so nothing needs to listen there.
    const backendUrl = `http://127.0.0.1:${await freePort()}`;
    forgeBase = `${backendUrl}/api/forge`;
    const { server } = await startTestBackend({
      features: [
        ...createComponentFeatures,
        mockServices.rootConfig.factory({
          data: {
            ...data,
            backend: { baseUrl: backendUrl },
            catalog: {
              ...data.catalog,
              locations: [
                {
                  type: 'file',
                  target: path.join(
                    ROOT,
                    'templates/static-website/template.yaml',
                  ),
                  rules: [{ allow: ['Template'] }],
                },
                // The sample organisation: paved:publish resolves the owner there.
                sampleOrganisation,
              ],
            },
            permission: { enabled: false },
            paved: { ...data.paved, forge: { directory: forge.path } },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${server.port()}`;
    await eventually('the template in the catalogue', async () => {
      const res = await call(
        baseUrl,
        user,
        '/api/catalog/entities/by-name/template/default/static-website',
      );
      const group = await call(
        baseUrl,
        user,
        '/api/catalog/entities/by-name/group/default/fulfilment',
      );
      return (res.status === 200 && group.status === 200) || undefined;
    });
  });

  it('registers a component whose annotations point at the forge, not at GitHub', async () => {
    const created = await call(baseUrl, user, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/static-website',
      values: {
        name: 'handbook',
        description: 'The handbook',
        owner: 'group:default/fulfilment',
        repoUrl: 'github.com?owner=kestrel&repo=handbook',
      },
    });
    expect(created.status).toBe(201);
    const task = await eventually('the task to finish', async () => {
      const res = await call(
        baseUrl,
        user,
        `/api/scaffolder/v2/tasks/${created.body.id}`,
      );
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    expect(task.status).toBe('completed');
    const entity = await eventually(
      'the component in the catalogue',
      async () => {
        const res = await call(
          baseUrl,
          user,
          '/api/catalog/entities/by-name/component/default/handbook',
        );
        return res.status === 200 ? res.body : undefined;
      },
    );
    const annotations = entity.metadata.annotations;
    // The template writes github.com/project-slug; on the forge it is dropped.
    expect(annotations['github.com/project-slug']).toBeUndefined();
    expect(annotations['backstage.io/source-location']).toBe(
      `url:${forgeBase}/kestrel/handbook/tree/main/`,
    );
    expect(annotations['backstage.io/managed-by-location']).toBe(
      `url:${forgeBase}/kestrel/handbook/blob/main/catalog-info.yaml`,
    );
    expect(entity.spec.owner).toBe('group:default/fulfilment');
    // Paved's marker: the owner recorded in the forge's own metadata.
    expect(
      JSON.parse(
        fs.readFileSync(
          path.join(forge.path, 'kestrel/handbook.git/paved-forge.json'),
          'utf8',
        ),
      ),
    ).toMatchObject({ ownerGroup: 'group:default/fulfilment' });
    // Nor does the forge serve the GitHub Pages site the template links to.
    expect(entity.metadata.links ?? []).toEqual([]);

    // The task and the repository Paved created for it are in the audit
    // trail, with who started it.
    const audited = await eventually(
      'the task in the audit trail',
      async () => {
        const res = await call(
          baseUrl,
          user,
          `/api/audit/events?plugin=scaffolder&taskId=${created.body.id}`,
        );
        return res.body.events?.length ? res.body.events : undefined;
      },
    );
    expect(audited).toContainEqual(
      expect.objectContaining({
        eventId: 'task',
        status: 'succeeded',
        actor: 'user:default/mock',
      }),
    );
    expect(audited).toContainEqual(
      expect.objectContaining({
        status: 'succeeded',
        actor: 'user:default/mock',
        target: expect.stringContaining('kestrel/handbook'),
      }),
    );
  });
});

describe('Create Component on GitHub (the GitHub test server), into the catalogue', () => {
  jest.setTimeout(120_000);
  const user = mockCredentials.user.header();
  let server: Awaited<ReturnType<typeof startGitHubTestServer>>;
  let baseUrl: string;

  beforeAll(async () => {
    // The token may delete repositories too, for the undo.
    server = await startGitHubTestServer({
      scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
    });
    const data = await embeddedDefault();
    const integration: Record<string, any> = server.integrationConfig();
    const { server: backend } = await startTestBackend({
      features: [
        ...createComponentFeatures,
        mockServices.rootConfig.factory({
          data: {
            ...data,
            backend: { baseUrl: `http://127.0.0.1:${await freePort()}` },
            // The server's own host: its web and git URLs (html_url) are there.
            integrations: { github: [integration] },
            catalog: {
              ...data.catalog,
              locations: [
                ...['node-service', 'remove-repository'].map(t => ({
                  type: 'file',
                  target: path.join(ROOT, 'templates', t, 'template.yaml'),
                  rules: [{ allow: ['Template'] }],
                })),
                sampleOrganisation,
              ],
            },
            permission: { enabled: false },
            paved: {
              ...data.paved,
              github: { writeInterval: { milliseconds: 0 } },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.port()}`;
    const url = baseUrl;
    await Promise.all(
      [
        'template/default/node-service',
        'template/default/remove-repository',
        'group/default/fulfilment',
      ].map(ref =>
        eventually(`${ref} in the catalogue`, async () => {
          const res = await call(
            url,
            user,
            `/api/catalog/entities/by-name/${ref}`,
          );
          return res.status === 200 || undefined;
        }),
      ),
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  /** Runs a template as a task to its end: its status and log lines. */
  async function runTask(templateRef: string, values: Record<string, unknown>) {
    const created = await call(baseUrl, user, '/api/scaffolder/v2/tasks', {
      templateRef,
      values,
    });
    expect(created.status).toBe(201);
    const task = await eventually('the task to finish', async () => {
      const res = await call(
        baseUrl,
        user,
        `/api/scaffolder/v2/tasks/${created.body.id}`,
      );
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    const events = await call(
      baseUrl,
      user,
      `/api/scaffolder/v2/tasks/${created.body.id}/events`,
    );
    const log: string[] = events.body
      .filter((e: any) => e.type === 'log')
      .map((e: any) => `${e.body.stepId}: ${logMessage(e.body.message)}`);
    // The template's output comes with the completion event.
    const completion = events.body.find((e: any) => e.type === 'completion');
    return {
      status: task.status as string,
      log,
      output: completion?.body?.output,
    };
  }

  it('publishes, hardens and registers the node-service, whose entity names its GitHub repository', async () => {
    const run = await runTask('template:default/node-service', {
      name: 'invoice-service',
      description: 'Invoices',
      owner: 'group:default/fulfilment',
      repoUrl: `${server.host}?owner=kestrel&repo=invoice-service`,
      deploy: false,
    });
    // The log, when it failed, says why.
    expect(run).toMatchObject({ status: 'completed' });
    expect(run.log.filter(l => l.includes('lives on the local forge'))).toEqual(
      [],
    );

    // The repository, born protected.
    const repo = server.driver.repository('kestrel', 'invoice-service')!;
    expect(repo).toMatchObject({
      private: true,
      description: 'Invoices',
      // Paved's marker, which the remove-repository steps read the owner from.
      topics: ['paved-managed', 'paved-owner-fulfilment'],
      teams: { fulfilment: 'maintain' },
      variables: {
        CATALOG_ENTITY: 'component:default/invoice-service',
        OWNER: 'group:default/fulfilment',
      },
    });
    const files = await server.driver.files('kestrel', 'invoice-service');
    expect(files['.github/CODEOWNERS']).toContain('* @kestrel/fulfilment');
    expect(files['catalog-info.yaml']).toContain(
      'github.com/project-slug: kestrel/invoice-service',
    );
    expect(
      repo.rulesets.map(r => r.rules.map((x: any) => x.type).sort()),
    ).toEqual([
      [
        'deletion',
        'non_fast_forward',
        'pull_request',
        'required_status_checks',
      ],
    ]);
    expect(Object.keys(repo.environments).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);
    expect(repo.environments.production.waitTimer).toBeGreaterThan(0);
    expect(repo.environments.production.reviewers).toEqual([
      { type: 'Team', id: server.driver.teamId('kestrel', 'fulfilment') },
    ]);

    // Registered from GitHub: the annotation stays and names the repository.
    const entity = await eventually(
      'the component in the catalogue',
      async () => {
        const res = await call(
          baseUrl,
          user,
          '/api/catalog/entities/by-name/component/default/invoice-service',
        );
        return res.status === 200 ? res.body : undefined;
      },
    );
    expect(entity.metadata.annotations).toMatchObject({
      'github.com/project-slug': 'kestrel/invoice-service',
      // Upstream's GitHub URL handling writes it as a tree URL.
      'backstage.io/managed-by-location': `url:${server.url}/kestrel/invoice-service/tree/main/catalog-info.yaml`,
    });
  });

  it("undoes it with the remove-repository template: Paved's repository goes, others' work stays unless forced", async () => {
    const repoUrl = `${server.host}?owner=kestrel&repo=invoice-service`;
    expect(
      server.driver.repository('kestrel', 'invoice-service'),
    ).toBeDefined();
    // A developer's commit since: delete refuses, and nothing changes.
    await server.driver.commit(
      'kestrel',
      'invoice-service',
      'feature',
      { 'src/x.ts': 'work\n' },
      'Work',
      { name: 'Jo Developer', email: 'jo@kestrel.example' },
    );
    const refused = await runTask('template:default/remove-repository', {
      repoUrl,
      mode: 'delete',
    });
    expect(refused.status).toBe('failed');
    expect(refused.log.join('\n')).toContain(
      'holds more than Paved put there (branches feature)',
    );
    expect(
      server.driver.repository('kestrel', 'invoice-service'),
    ).toBeDefined();

    const archived = await runTask('template:default/remove-repository', {
      repoUrl,
      mode: 'archive',
    });
    expect(archived).toMatchObject({ status: 'completed' });
    expect(
      server.driver.repository('kestrel', 'invoice-service')!.archived,
    ).toBe(true);
    expect(archived.output.text).toEqual([
      { title: 'Repository', content: 'kestrel/invoice-service: archived' },
    ]);

    const deleted = await runTask('template:default/remove-repository', {
      repoUrl,
      mode: 'delete',
      force: true,
    });
    expect(deleted).toMatchObject({ status: 'completed' });
    expect(
      server.driver.repository('kestrel', 'invoice-service'),
    ).toBeUndefined();
    const again = await runTask('template:default/remove-repository', {
      repoUrl,
      mode: 'delete',
    });
    expect(again.output.text).toEqual([
      { title: 'Repository', content: 'kestrel/invoice-service: not-found' },
    ]);
  });
});

describe("Archive or delete a repository as another team, under Paved's policy", () => {
  jest.setTimeout(120_000);
  let server: Awaited<ReturnType<typeof startGitHubTestServer>>;
  let baseUrl: string;
  const repoUrl = () => `${server.host}?owner=kestrel&repo=shop`;

  beforeAll(async () => {
    server = await startGitHubTestServer({
      scopes: ['repo', 'admin:org', 'workflow', 'delete_repo'],
    });
    const data = await embeddedDefault();
    const { server: backend } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModulePavedPolicy,
        httpAuthWithActors,
        catalogBackend,
        catalogScaffolderEntityModel,
        scaffolderBackend,
        scaffolderWorkspaceDatabase,
        pavedGitHubActions,
        mockServices.rootConfig.factory({
          data: {
            ...data,
            backend: { baseUrl: `http://127.0.0.1:${await freePort()}` },
            integrations: {
              github: [server.integrationConfig() as Record<string, any>],
            },
            catalog: {
              ...data.catalog,
              locations: [
                {
                  type: 'file',
                  target: path.join(
                    ROOT,
                    'templates/remove-repository/template.yaml',
                  ),
                  rules: [{ allow: ['Template'] }],
                },
                sampleOrganisation,
              ],
            },
            permission: { enabled: true },
            paved: {
              ...data.paved,
              permissions: { adminGroups: [TEST_GROUPS.admin] },
              github: { writeInterval: { milliseconds: 0 } },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.port()}`;
    const url = baseUrl;
    await Promise.all(
      [
        'template/default/remove-repository',
        'group/default/storefront',
        'user/default/jonas-weber',
      ].map(ref =>
        eventually(`${ref} in the catalogue`, async () => {
          const res = await call(
            url,
            mockCredentials.user.header(TEST_USERS.admin),
            `/api/catalog/entities/by-name/${ref}`,
          );
          return res.status === 200 || undefined;
        }),
      ),
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  async function runAs(user: string, values: Record<string, unknown>) {
    const auth = mockCredentials.user.header(user);
    const created = await call(baseUrl, auth, '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/remove-repository',
      values,
    });
    expect(created.status).toBe(201);
    const task = await eventually('the task to finish', async () => {
      const res = await call(
        baseUrl,
        auth,
        `/api/scaffolder/v2/tasks/${created.body.id}`,
      );
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    const events = await call(
      baseUrl,
      auth,
      `/api/scaffolder/v2/tasks/${created.body.id}/events`,
    );
    return {
      status: task.status as string,
      log: events.body
        .filter((e: any) => e.type === 'log')
        .map((e: any) => logMessage(e.body.message))
        .join('\n'),
    };
  }

  it("refuses team B deleting team A's repository with force; its owners may", async () => {
    // Team A's repository, as paved:publish leaves it, with work in it.
    await server.driver.createRepository('kestrel', 'shop', {
      topics: markerTopicsOf(TEST_GROUPS.teamA),
      files: { 'README.md': '# shop\n' },
    });
    server.resetRequests();
    const attack = await runAs(TEST_USERS.teamB, {
      repoUrl: repoUrl(),
      mode: 'delete',
      force: true,
    });
    expect(attack.status).toBe('failed');
    expect(attack.log).toContain(
      'user:default/jonas-weber may not delete repository',
    );
    expect(attack.log).toContain('group:default/storefront');
    expect(server.driver.repository('kestrel', 'shop')).toBeDefined();
    expect(server.requests.filter(r => !/^(GET|GIT) /.test(r.route))).toEqual(
      [],
    );

    const archive = await runAs(TEST_USERS.teamB, {
      repoUrl: repoUrl(),
      mode: 'archive',
    });
    expect(archive.status).toBe('failed');
    expect(server.driver.repository('kestrel', 'shop')!.archived).toBe(false);

    const byOwner = await runAs(TEST_USERS.teamAMate, {
      repoUrl: repoUrl(),
      mode: 'delete',
      force: true,
    });
    expect(byOwner).toMatchObject({ status: 'completed' });
    expect(server.driver.repository('kestrel', 'shop')).toBeUndefined();
  });
});
