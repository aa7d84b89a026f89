import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import path from 'node:path';
import { loadWorkspaceConfigSchema } from './configSchema';
import { undeclaredConfigKeys } from './undeclaredConfigKeys';

const ROOT = path.resolve(__dirname, '../../../..');

describe('undeclaredConfigKeys', () => {
  jest.setTimeout(60_000);

  it('finds none in the embedded default and the production config', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const source = ConfigSources.default({
      argv: ['app-config.yaml', 'app-config.production.yaml'].flatMap(f => [
        '--config',
        path.join(ROOT, f),
      ]),
      substitutionFunc: async () => 'set',
    });
    const config = await ConfigSources.toConfig(source);
    expect(await undeclaredConfigKeys(config, schema)).toEqual([]);
  });

  it('names every key no installed package declares, and only those', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const config = new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
      // Removed by Backstage 1.55: accepted, and read by nothing.
      catalog: { stitchingStrategy: { mode: 'deferred' } },
      paved: { github: { removeCreatorAdmin: true, removeCreatorAdmn: true } },
      notAPlugin: { enabled: true },
      // Free-form by their schemas: anything below is declared.
      integrations: { github: [{ host: 'github.com', token: 't' }] },
    });
    expect(await undeclaredConfigKeys(config, schema)).toEqual([
      'catalog.stitchingStrategy.mode',
      'notAPlugin',
      'paved.github.removeCreatorAdmn',
    ]);
  });
});
