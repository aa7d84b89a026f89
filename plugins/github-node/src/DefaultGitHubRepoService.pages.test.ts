import { GitHubTestServer } from '@paved/testkit';
import { DefaultGitHubRepoService } from './DefaultGitHubRepoService';
import { startServiceOnTestServer } from './__testUtils__/testService';

describe('DefaultGitHubRepoService: enablePages', () => {
  let server: GitHubTestServer;
  let service: DefaultGitHubRepoService;
  const repo = { owner: 'kestrel', name: 'site' };

  beforeEach(async () => {
    ({ server, service } = await startServiceOnTestServer());
    await server.driver.createRepository('kestrel', 'site', {
      private: false,
      files: { 'public/index.html': '<h1>site</h1>\n' },
    });
  });

  afterEach(async () => {
    await server.close();
  });

  const routes = () => server.requests.map(r => `${r.route} ${r.status}`);

  it('enables a site the workflow builds, and leaves it alone the second time', async () => {
    await expect(service.enablePages(repo)).resolves.toEqual({
      action: 'enabled',
      url: `${server.url}/pages/kestrel/site/`,
    });
    expect(server.driver.repository('kestrel', 'site')!.pages).toEqual({
      buildType: 'workflow',
      source: { branch: 'main', path: '/' },
    });
    server.resetRequests();
    await expect(service.enablePages(repo)).resolves.toEqual({
      action: 'unchanged',
      url: `${server.url}/pages/kestrel/site/`,
    });
    expect(routes()).toEqual([
      'POST /repos/{owner}/{repo}/pages 409',
      'GET /repos/{owner}/{repo}/pages 200',
    ]);
  });

  it('refuses to take over a site published from a branch, changing nothing', async () => {
    await server.driver.createRepository('kestrel', 'legacy-site', {
      private: false,
      files: { 'index.html': '<h1>old</h1>\n' },
    });
    const octokit = new (
      require('@octokit/rest') as typeof import('@octokit/rest')
    ).Octokit({ baseUrl: server.apiBaseUrl, auth: server.token });
    await octokit.rest.repos.createPagesSite({
      owner: 'kestrel',
      repo: 'legacy-site',
      source: { branch: 'main', path: '/' },
    });
    server.resetRequests();
    await expect(
      service.enablePages({ owner: 'kestrel', name: 'legacy-site' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'kestrel/legacy-site already has a GitHub Pages site built from the branch main; Paved will not change it',
      ),
    });
    expect(routes().filter(r => !r.startsWith('GET'))).toEqual([
      'POST /repos/{owner}/{repo}/pages 409',
    ]);
    expect(
      server.driver.repository('kestrel', 'legacy-site')!.pages!.buildType,
    ).toBe('legacy');
  });

  it('says what GitHub refused: a private repository on a plan without Pages', async () => {
    await server.driver.createRepository('kestrel', 'private-site', {
      files: { 'index.html': '<h1>x</h1>\n' },
    });
    server.driver.setPagesSupport('upgrade-required');
    const failure = await service
      .enablePages({ owner: 'kestrel', name: 'private-site' })
      .catch(e => e);
    expect(failure.message).toContain(
      'Your current plan does not support GitHub Pages for this repository.',
    );
    expect(
      server.driver.repository('kestrel', 'private-site')!.pages,
    ).toBeNull();
  });
});
