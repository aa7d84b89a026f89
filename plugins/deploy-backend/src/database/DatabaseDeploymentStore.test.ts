import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { Deployment } from './DeploymentStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    entityRef: 'component:default/shop',
    environment: 'dev',
    image: 'ghcr.io/kestrel/shop:abc1234',
    status: 'succeeded',
    workloads: ['Deployment/web'],
    startedAt: '2026-12-07T10:00:00.000Z',
    finishedAt: '2026-12-07T10:00:03.250Z',
    actor: 'user:default/lena-fischer',
    ...overrides,
  };
}

describe('DatabaseDeploymentStore', () => {
  it('runs on SQLite and, when npm test provides it, PostgreSQL', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });

  it.each(databases.eachSupportedId())(
    'keeps deployments and lists an entity’s newest first, values intact, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex }),
      });
      const fromCi = deployment({
        id: '00000000-0000-4000-8000-000000000002',
        startedAt: '2026-12-07T11:00:00.000Z',
        finishedAt: '2026-12-07T11:00:01.000Z',
        status: 'failed',
        message: 'Deployment "web" did not become available',
        workloads: ['Deployment/web', 'CronJob/nightly'],
        actor: 'external:github-actions:repo:kestrel/shop:ref:refs/heads/main',
        run: {
          repository: 'kestrel/shop',
          sha: 'a'.repeat(40),
          runId: '4711',
          workflow: 'CI',
        },
      });
      await store.add(deployment({}));
      await store.add(fromCi);
      await store.add(
        deployment({
          id: '00000000-0000-4000-8000-000000000003',
          entityRef: 'component:default/other',
        }),
      );

      const listed = await store.list({
        entityRef: 'component:default/shop',
        limit: 10,
      });
      expect(listed).toEqual([fromCi, deployment({})]);
      await expect(
        store.list({ entityRef: 'component:default/shop', limit: 1 }),
      ).resolves.toEqual([fromCi]);
      await expect(
        store.list({ entityRef: 'component:default/none', limit: 10 }),
      ).resolves.toEqual([]);
    },
  );
});
