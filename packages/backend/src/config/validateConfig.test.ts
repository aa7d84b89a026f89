import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import path from 'node:path';
import { loadWorkspaceConfigSchema } from './configSchema';
import { validateConfig } from './validateConfig';

const ROOT = path.resolve(__dirname, '../../../..');

async function load(files: string[], env: Record<string, string> = {}) {
  const source = ConfigSources.default({
    argv: files.flatMap(f => ['--config', path.join(ROOT, f)]),
    substitutionFunc: async name => env[name],
  });
  return ConfigSources.toConfig(source);
}

const productionEnv = {
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'paved',
  POSTGRES_PASSWORD: 'pw',
  BACKEND_SECRET: 'secret',
  AUTH_GITHUB_CLIENT_ID: 'id',
  AUTH_GITHUB_CLIENT_SECRET: 'client-secret',
  PAVED_TERRAFORM_PLAN_KEY: 'y4Jq8s1Zr0Vw3Kp6Tn9Bx2Lc5Hd7Mf0Ga4Se8Ui1Ro3=',
};

describe('validateConfig', () => {
  jest.setTimeout(60_000);

  it('accepts the embedded default and the production config', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const dev = await load(['app-config.yaml']);
    expect(validateConfig(dev, schema)).toEqual([]);
    const prod = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      productionEnv,
    );
    expect(validateConfig(prod, schema)).toEqual([]);
  });

  it('names a missing PostgreSQL key', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const { POSTGRES_HOST, ...env } = productionEnv;
    const prod = await load(
      ['app-config.yaml', 'app-config.production.yaml'],
      env,
    );
    expect(validateConfig(prod, schema)).toEqual([
      "backend.database.connection.host: missing, it is required when backend.database.client is 'pg'",
    ]);
  });

  it('refuses production without a plan encryption key, or with the example placeholder', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const { PAVED_TERRAFORM_PLAN_KEY, ...env } = productionEnv;
    const files = ['app-config.yaml', 'app-config.production.yaml'];
    expect(validateConfig(await load(files, env), schema)).toEqual([
      expect.stringMatching(/^paved\.terraform\.planEncryptionKey: missing; /),
    ]);
    const placeholder = await load(files, {
      ...env,
      PAVED_TERRAFORM_PLAN_KEY: 'change-me-to-another-long-random-string',
    });
    expect(validateConfig(placeholder, schema)).toEqual([
      expect.stringMatching(
        /^paved\.terraform\.planEncryptionKey: is the placeholder of docker\/kubernetes\/secret\.example\.yaml/,
      ),
    ]);
  });

  it('names a malformed port', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const prod = await load(['app-config.yaml', 'app-config.production.yaml'], {
      ...productionEnv,
      POSTGRES_PORT: '54x32',
    });
    expect(validateConfig(prod, schema)).toEqual([
      "backend.database.connection.port: expected a port number, got '54x32'",
    ]);
  });

  it('names keys that break a package schema', async () => {
    const schema = await loadWorkspaceConfigSchema(ROOT);
    const config = new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl: 'http://localhost:7007',
        database: { client: 'mysql', connection: ':memory:' },
      },
      organization: {},
    });
    const problems = validateConfig(config, schema);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^backend\.database\.client: /),
        'organization.name: missing, it is required',
      ]),
    );
  });
});
