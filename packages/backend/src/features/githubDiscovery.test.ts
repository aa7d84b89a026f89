import { ConfigReader } from '@backstage/config';
import { ConfigSources } from '@backstage/config-loader';
import path from 'node:path';
import { githubDiscoveryModules } from './githubDiscovery';

describe('githubDiscoveryModules', () => {
  it('loads nothing without provider config', () => {
    expect(githubDiscoveryModules(new ConfigReader({}))).toEqual({
      repositories: false,
      organization: false,
    });
  });

  it('stays off when the organisation substitutes to an empty string', () => {
    const config = new ConfigReader({
      catalog: {
        providers: {
          github: { organisation: { organization: '' } },
          githubOrg: { id: 'production', githubUrl: 'x', orgs: [''] },
        },
      },
    });
    expect(githubDiscoveryModules(config)).toEqual({
      repositories: false,
      organization: false,
    });
  });

  it('loads both modules when an organisation is named', () => {
    const config = new ConfigReader({
      catalog: {
        providers: {
          github: { organisation: { organization: 'kestrel' } },
          githubOrg: [{ id: 'production', githubUrl: 'x', orgs: ['kestrel'] }],
        },
      },
    });
    expect(githubDiscoveryModules(config)).toEqual({
      repositories: true,
      organization: true,
    });
  });
});

describe('the production config', () => {
  const ROOT = path.resolve(__dirname, '../../../..');
  async function load(env: Record<string, string>) {
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
    return config;
  }

  it('discovers the organisation named by GITHUB_ORG', async () => {
    const config = await load({ GITHUB_ORG: 'kestrel-logistics' });
    expect(githubDiscoveryModules(config)).toEqual({
      repositories: true,
      organization: true,
    });
    expect(
      config.getString('catalog.providers.github.organisation.organization'),
    ).toBe('kestrel-logistics');
    expect(config.getStringArray('catalog.providers.githubOrg.orgs')).toEqual([
      'kestrel-logistics',
    ]);
  });

  it('leaves discovery off when GITHUB_ORG is not set', async () => {
    expect(githubDiscoveryModules(await load({}))).toEqual({
      repositories: false,
      organization: false,
    });
  });
});
