import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { ConfigSources } from '@backstage/config-loader';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

async function portalCatalogConfig() {
  const config = await ConfigSources.toConfig(
    ConfigSources.default({
      argv: ['--config', path.join(ROOT, 'app-config.yaml')],
      substitutionFunc: async name =>
        name === 'PAVED_REPO_DIR' ? ROOT : undefined,
    }),
  );
  const catalog = config.getConfig('catalog').get();
  config.close();
  return catalog;
}

/**
 * The catalogue as the portal runs it (its migrations, processing and API)
 * on every database engine the run provides: SQLite always, PostgreSQL when
 * npm test found one.
 */
describe('catalogue on each database engine', () => {
  const databases = TestDatabases.create();

  it('includes PostgreSQL whenever npm test found a server', () => {
    const ids = databases.eachSupportedId().map(([id]) => id);
    const required = ['SQLITE_3'];
    if (process.env.PAVED_REQUIRE_POSTGRES) {
      required.push(process.env.PAVED_TEST_POSTGRES_ID!);
    }
    expect(ids).toEqual(expect.arrayContaining(required));
  });

  it.each(databases.eachSupportedId())(
    'ingests the sample organisation on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          mockServices.database.factory({ knex }),
          // The catalogue config the portal runs with, rooted at the repository.
          mockServices.rootConfig.factory({
            data: { catalog: await portalCatalogConfig() },
          }),
        ],
      });
      const get = (url: string) =>
        fetch(`http://localhost:${server.port()}/api/catalog${url}`, {
          headers: { Authorization: mockCredentials.user.header() },
        });

      let entity: any;
      const deadline = Date.now() + 60_000;
      while (!entity?.relations?.length && Date.now() < deadline) {
        const res = await get(
          '/entities/by-name/component/default/order-service',
        );
        entity = res.ok ? await res.json() : undefined;
        if (!entity?.relations?.length)
          await new Promise(r => setTimeout(r, 500));
      }
      expect(entity?.spec?.owner).toBe('fulfilment');
      expect(entity.relations).toEqual(
        expect.arrayContaining([
          { type: 'ownedBy', targetRef: 'group:default/fulfilment' },
          { type: 'providesApi', targetRef: 'api:default/orders-api' },
        ]),
      );

      // The stored API definition survives the round trip through the engine.
      const api = await (
        await get('/entities/by-name/api/default/orders-api')
      ).json();
      expect(api.spec.definition).toMatch(/^openapi: 3\.\d+\.\d+/m);
      await knex.destroy();
    },
    90_000,
  );
});
