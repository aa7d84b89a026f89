import { ConfigReader } from '@backstage/config';
import { hasGitHubCredentials } from './hasGitHubCredentials';

describe('hasGitHubCredentials', () => {
  const config = (github: any) =>
    new ConfigReader({ integrations: { github } });

  it('is false with no GitHub integration, as in the embedded default', () => {
    expect(
      hasGitHubCredentials(
        new ConfigReader({ integrations: {} }),
        'github.com',
      ),
    ).toBe(false);
    expect(hasGitHubCredentials(new ConfigReader({}), 'github.com')).toBe(
      false,
    );
  });

  it('is true for a host with a token, false for an empty or blank token', () => {
    expect(
      hasGitHubCredentials(
        config([{ host: 'github.com', token: 'ghp_x' }]),
        'github.com',
      ),
    ).toBe(true);
    // app-config.production.yaml's ${GITHUB_TOKEN:-} with the variable unset
    expect(
      hasGitHubCredentials(
        config([{ host: 'github.com', token: '' }]),
        'github.com',
      ),
    ).toBe(false);
    expect(
      hasGitHubCredentials(
        config([{ host: 'github.com', token: '  ' }]),
        'github.com',
      ),
    ).toBe(false);
  });

  it('is true for a host with GitHub Apps, and defaults the host to github.com', () => {
    expect(
      hasGitHubCredentials(
        config([
          {
            apps: [
              { appId: 1, clientId: 'c', clientSecret: 's', privateKey: 'k' },
            ],
          },
        ]),
        'github.com',
      ),
    ).toBe(true);
  });

  it('matches the host, case-insensitively, and nothing else', () => {
    const c = config([
      {
        host: 'ghe.kestrel.example',
        apiBaseUrl: 'https://ghe.kestrel.example/api/v3',
        token: 't',
      },
    ]);
    expect(hasGitHubCredentials(c, 'GHE.kestrel.example')).toBe(true);
    expect(hasGitHubCredentials(c, 'github.com')).toBe(false);
  });
});
